/// The host and user names a sink's records were parsed with, interned by their raw bytes: a name seen before
/// costs a hash and a compare in the parser — no `String` built, validated and lowercased again — and reaches the
/// sink as a dense id (``RecordSymbols``) that indexes its caches, where the name would be hashed once more
/// (docs/benchmarks.md, session 14).
///
/// A table belongs to one sink (``TrafficSink/symbols``) and is used by one thread at a time: the parse loop of
/// that sink's session. Each table holds at most ``FieldSymbolTables/limit`` names and ``FieldSymbolTables/byteLimit``
/// bytes of them; past that, new names are built as plain strings, as without a table, so memory stays bounded
/// however many distinct names a log holds.
package final class FieldSymbols: @unchecked Sendable {
    /// The tables, behind a pointer so that the parse loop reaches them without reference counting or exclusivity
    /// checks.
    let storage: UnsafeMutablePointer<FieldSymbolTables>

    package init(limit: Int = FieldSymbolTables.limit, byteLimit: Int = FieldSymbolTables.byteLimit) {
        storage = .allocate(capacity: 1)
        storage.initialize(to: FieldSymbolTables(limit: limit, byteLimit: byteLimit))
    }

    deinit {
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    /// The tables as ``RecordSymbols/tables`` holds them while a parser fills a record.
    package var tables: UnsafeMutableRawPointer { UnsafeMutableRawPointer(storage) }

    /// The number of distinct host and user names interned.
    package var counts: (hosts: Int, users: Int) { (storage.pointee.hosts.count, storage.pointee.users.count) }

    /// The host name of a host symbol (``RecordSymbols/host``).
    package func host(_ id: Int32) -> String { storage.pointee.hosts.string(id) }

    /// The user name of a user symbol (``RecordSymbols/user``).
    package func user(_ id: Int32) -> String { storage.pointee.users.string(id) }
}

/// The two tables of ``FieldSymbols``.
package struct FieldSymbolTables {
    /// Names per table.
    package static let limit = 1 << 18
    /// Bytes of names per table.
    package static let byteLimit = 16 << 20

    /// Raw host bytes → the lowercased host (``TrafficRecord/apply(host:)``); IP literals are never entered.
    var hosts: ByteSymbolTable
    /// Raw user bytes → the user as logged (``TrafficRecord/apply(user:)``).
    var users: ByteSymbolTable

    init(limit: Int, byteLimit: Int) {
        hosts = ByteSymbolTable(limit: limit, byteLimit: byteLimit)
        users = ByteSymbolTable(limit: limit, byteLimit: byteLimit)
    }
}

/// Byte strings → dense ids and the `String` made of each, with an open-addressing index (seeded hash, so that
/// crafted log values cannot force collisions).
struct ByteSymbolTable {
    /// 0 when empty, else the hash's high 32 bits above the id + 1.
    private var slots: [UInt64]
    private var mask: Int
    /// Where each id's bytes are in ``keys``: offset << 32 | length.
    private var spans: [UInt64] = []
    private var keys: [UInt8] = []
    private var strings: [String] = []
    private let seed = UInt64.random(in: 0...UInt64.max)
    private let limit: Int
    private let byteLimit: Int

    init(limit: Int, byteLimit: Int) {
        slots = [UInt64](repeating: 0, count: 64)
        mask = 63
        self.limit = limit
        self.byteLimit = byteLimit
    }

    var count: Int { strings.count }

    /// The string entered as `id`.
    func string(_ id: Int32) -> String { strings[Int(id)] }

    /// The id and string of `key`, if it was entered; else where it would go (`slot`, `hash`), for ``insert``.
    @inline(__always)
    func find(_ key: Bytes) -> (id: Int32, string: String)? {
        let h = TextHash.hash(key, seed)
        let tag = h & 0xFFFF_FFFF_0000_0000
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s == 0 { return nil }
            if s & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(truncatingIfNeeded: s & 0xFFFF_FFFF) - 1
                if holds(id, key) { return (Int32(truncatingIfNeeded: id), strings[id]) }
            }
            i = (i + 1) & mask
        }
    }

    /// Enters `key` (not yet entered: ``find(_:)`` said nil) as `string`; nil once the table is full.
    mutating func insert(_ key: Bytes, string: String) -> Int32? {
        guard strings.count < limit, keys.count + key.count <= byteLimit, key.count < Int(UInt32.max) else {
            return nil
        }
        let h = TextHash.hash(key, seed)
        let id = strings.count
        spans.append(UInt64(keys.count) << 32 | UInt64(key.count))
        keys.append(contentsOf: key)
        strings.append(string)
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(id + 1)
        if strings.count * 2 > slots.count { grow() }
        return Int32(id)
    }

    /// The id of `key`, entering it as `make(key)` if new, with its string; nil when new and the table is full.
    @inline(__always)
    mutating func symbol(for key: Bytes, make: (Bytes) -> String) -> (id: Int32, string: String)? {
        if let found = find(key) { return found }
        let string = make(key)
        guard let id = insert(key, string: string) else { return nil }
        return (id, string)
    }

    @inline(__always)
    private func holds(_ id: Int, _ key: Bytes) -> Bool {
        let span = spans[id]
        let length = Int(truncatingIfNeeded: span & 0xFFFF_FFFF)
        guard length == key.count else { return false }
        let offset = Int(truncatingIfNeeded: span >> 32)
        return keys.withUnsafeBufferPointer { stored in
            Bytes(rebasing: stored[offset..<(offset + length)]).equals(key)
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = [UInt64](repeating: 0, count: size)
        let m = size - 1
        keys.withUnsafeBufferPointer { stored in
            for id in 0..<strings.count {
                let span = spans[id]
                let offset = Int(truncatingIfNeeded: span >> 32)
                let length = Int(truncatingIfNeeded: span & 0xFFFF_FFFF)
                let h = TextHash.hash(Bytes(rebasing: stored[offset..<(offset + length)]), seed)
                var i = Int(truncatingIfNeeded: h) & m
                while fresh[i] != 0 { i = (i + 1) & m }
                fresh[i] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(id + 1)
            }
        }
        slots = fresh
        mask = m
    }
}
