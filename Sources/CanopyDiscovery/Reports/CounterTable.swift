/// An open-addressing hash table from a 128-bit key to ``TrafficCounters``: the aggregation hot path.
///
/// Keys are built from dense interned ids (apps, users, IPs, days), never from raw log text, so a fast
/// multiply-xorshift hash is safe here; the interners that map log text to ids keep Swift's seeded hashing.
/// Measured against `Dictionary` with a synthesized `Hashable` key (SipHash), this halves the cost of a cell update.
package struct CounterTable: Sendable {
    /// Key and counters side by side in 64 bytes, so an update touches one cache line: transaction and block
    /// counts are 32-bit here (an aggregate of 4 billion requests is not a snapshot report's concern; they saturate
    /// rather than wrap), and widen to ``TrafficCounters`` when read.
    private struct Entry: Sendable {
        var key: UInt128
        var bytesUp: Int64 = 0
        var bytesDown: Int64 = 0
        var bytesTotal: Int64 = 0
        var firstSeen: Int64 = .max
        var lastSeen: Int64 = .min
        var transactions: UInt32 = 0
        var blocked: UInt32 = 0

        init(key: UInt128) { self.key = key }

        @inline(__always)
        mutating func add(
            up: Int64,
            down: Int64,
            total: Int64,
            transactions t: Int64,
            blocked b: Int64,
            first: Int64,
            last: Int64
        ) {
            bytesUp &+= up
            bytesDown &+= down
            bytesTotal &+= total
            transactions = UInt32(clamping: Int64(transactions) + t)
            blocked = UInt32(clamping: Int64(blocked) + b)
            if first < firstSeen { firstSeen = first }
            if last > lastSeen { lastSeen = last }
        }

        var counters: TrafficCounters {
            var c = TrafficCounters()
            c.bytesUp = bytesUp
            c.bytesDown = bytesDown
            c.bytesTotal = bytesTotal
            c.transactions = Int64(transactions)
            c.blocked = Int64(blocked)
            c.firstSeen = firstSeen
            c.lastSeen = lastSeen
            return c
        }
    }

    private var entries: [Entry]
    private var mask: Int
    package private(set) var count = 0

    /// A key no entry ever has (its top bits are never set by the aggregator's packing).
    private static let empty = UInt128.max

    package init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        entries = [Entry](repeating: Entry(key: Self.empty), count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func hash(_ key: UInt128) -> Int {
        var x = UInt64(truncatingIfNeeded: key) &* 0x9E37_79B9_7F4A_7C15
        x ^= UInt64(truncatingIfNeeded: key >> 64) &* 0xC2B2_AE3D_27D4_EB4F
        x ^= x >> 31
        x &*= 0xBF58_476D_1CE4_E5B9
        x ^= x >> 29
        return Int(truncatingIfNeeded: x)
    }

    /// The slot of `key`, inserting an empty entry if it is new.
    @inline(__always)
    private mutating func slot(_ key: UInt128) -> Int {
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
    package mutating func add(_ key: UInt128, up: Int64, down: Int64, total: Int64, blocked: Bool, time: Int64?) {
        let i = slot(key)
        entries[i].add(
            up: up,
            down: down,
            total: total,
            transactions: 1,
            blocked: blocked ? 1 : 0,
            first: time ?? .max,
            last: time ?? .min
        )
    }

    /// Adds counters under `key` (merging tables).
    package mutating func add(_ key: UInt128, _ counters: TrafficCounters) {
        let i = slot(key)
        entries[i].add(
            up: counters.bytesUp,
            down: counters.bytesDown,
            total: counters.bytesTotal,
            transactions: counters.transactions,
            blocked: counters.blocked,
            first: counters.firstSeen,
            last: counters.lastSeen
        )
    }

    /// Calls `body` for every entry, in no particular order.
    package func forEachEntry(_ body: (UInt128, TrafficCounters) -> Void) {
        for entry in entries where entry.key != Self.empty { body(entry.key, entry.counters) }
    }

    private mutating func grow() {
        let old = entries
        let size = entries.count * 2
        entries = [Entry](repeating: Entry(key: Self.empty), count: size)
        mask = size - 1
        for entry in old where entry.key != Self.empty {
            var i = Self.hash(entry.key) & mask
            while entries[i].key != Self.empty { i = (i + 1) & mask }
            entries[i] = entry
        }
    }
}
