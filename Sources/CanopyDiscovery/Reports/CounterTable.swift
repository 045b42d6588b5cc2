/// An open-addressing hash table from a 64-bit key (two packed 32-bit ids) to traffic counters: the aggregation
/// hot path for keys that are not one dense id ((day, app)).
///
/// Keys are built from dense interned ids, never from raw log text, so a fast multiply-xorshift hash is safe here;
/// the interners that map log text to ids keep a seeded hash. Measured against `Dictionary` with a synthesized
/// `Hashable` key (SipHash), this halves the cost of a cell update.
package struct CounterTable: Sendable {
    /// Key and counters side by side in 56 bytes, so an update touches one cache line or two.
    private struct Entry: Sendable {
        var key: UInt64
        var cell = CounterCell()

        init(key: UInt64) { self.key = key }
    }

    private var entries: [Entry]
    private var mask: Int
    package private(set) var count = 0

    /// A key no entry ever has: its high id would be `Int32.min`, and ids are -1 or more.
    private static let empty: UInt64 = 1 << 63

    package init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        entries = Self.emptyEntries(size)
        mask = size - 1
    }

    /// `size` empty entries.
    private static func emptyEntries(_ size: Int) -> [Entry] {
        [Entry](repeating: Entry(key: Self.empty), count: size)
    }

    /// Packs two ids (each -1 or more) into a key.
    @inline(__always)
    package static func key(_ high: Int32, _ low: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: high)) << 32 | UInt64(UInt32(bitPattern: low))
    }

    /// Unpacks a key made by ``key(_:_:)``.
    package static func ids(_ key: UInt64) -> (high: Int32, low: Int32) {
        (Int32(bitPattern: UInt32(truncatingIfNeeded: key >> 32)), Int32(bitPattern: UInt32(truncatingIfNeeded: key)))
    }

    @inline(__always)
    private static func hash(_ key: UInt64) -> Int {
        var x = key &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 29
        x &*= 0xBF58_476D_1CE4_E5B9
        x ^= x >> 32
        return Int(truncatingIfNeeded: x)
    }

    /// The slot of `key`, inserting an empty entry if it is new.
    @inline(__always)
    private mutating func slot(_ key: UInt64) -> Int {
        var i = Self.hash(key) & mask
        while true {
            let k = entries[i].key
            if k == key { return i }
            if k == Self.empty {
                if (count + 1) * 4 > entries.count * 3 {
                    grow()
                    return slot(key)
                }
                entries[i].key = key
                count += 1
                return i
            }
            i = (i + 1) & mask
        }
    }

    /// Counts one record under `key`.
    @inline(__always)
    package mutating func add(_ key: UInt64, up: Int64, down: Int64, total: Int64, blocked: Bool, time: Int64?) {
        let i = slot(key)
        entries[i].cell.add(up: up, down: down, total: total, blocked: blocked, time: time)
    }

    /// Adds counters under `key` (merging tables).
    package mutating func add(_ key: UInt64, _ counters: TrafficCounters) {
        let i = slot(key)
        entries[i].cell.add(counters)
    }

    /// Calls `body` for every entry, in no particular order.
    package func forEachEntry(_ body: (UInt64, TrafficCounters) -> Void) {
        for entry in entries where entry.key != Self.empty { body(entry.key, entry.cell.counters) }
    }

    private mutating func grow() {
        let old = entries
        let size = entries.count * 2
        entries = Self.emptyEntries(size)
        mask = size - 1
        for entry in old where entry.key != Self.empty {
            var i = Self.hash(entry.key) & mask
            while entries[i].key != Self.empty { i = (i + 1) & mask }
            entries[i] = entry
        }
    }
}
