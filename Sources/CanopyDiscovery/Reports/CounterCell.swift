/// The traffic sums of one aggregate in 48 bytes, the unit the aggregation tables store.
///
/// Transaction and block counts are 32-bit here (an aggregate of 4 billion requests is not a snapshot report's
/// concern; they saturate rather than wrap) and widen to ``TrafficCounters`` when read.
struct CounterCell: Sendable {
    var bytesUp: Int64 = 0
    var bytesDown: Int64 = 0
    var bytesTotal: Int64 = 0
    var firstSeen: Int64 = .max
    var lastSeen: Int64 = .min
    var transactions: UInt32 = 0
    var blocked: UInt32 = 0

    /// Counts one record (`time` in ms since the epoch, nil when the record has none).
    @inline(__always)
    mutating func add(up: Int64, down: Int64, total: Int64, blocked isBlocked: Bool, time: Int64?) {
        bytesUp &+= up
        bytesDown &+= down
        bytesTotal &+= total
        if transactions != .max { transactions &+= 1 }
        if isBlocked, blocked != .max { blocked &+= 1 }
        if let time {
            if time < firstSeen { firstSeen = time }
            if time > lastSeen { lastSeen = time }
        }
    }

    /// Adds a whole aggregate (merging tables).
    mutating func add(_ c: TrafficCounters) {
        bytesUp &+= c.bytesUp
        bytesDown &+= c.bytesDown
        bytesTotal &+= c.bytesTotal
        transactions = UInt32(clamping: Int64(transactions) + c.transactions)
        blocked = UInt32(clamping: Int64(blocked) + c.blocked)
        if c.firstSeen < firstSeen { firstSeen = c.firstSeen }
        if c.lastSeen > lastSeen { lastSeen = c.lastSeen }
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

/// Counters indexed directly by a dense interned id (users, source IPs, unknown destinations): no hashing, and a
/// ``mark`` per id that callers use to skip repeated pair-set inserts (the last user seen on an IP, …).
package struct DenseCounters: Sendable {
    private var cells: [CounterCell] = []
    private var marks: [Int32] = []

    package init() {}

    /// Counts one record under `id` (ids are dense: at most one more than the largest so far).
    @inline(__always)
    package mutating func add(_ id: Int32, up: Int64, down: Int64, total: Int64, blocked: Bool, time: Int64?) {
        let i = Int(id)
        if i >= cells.count { extend(to: i) }
        cells[i].add(up: up, down: down, total: total, blocked: blocked, time: time)
    }

    /// Adds a whole aggregate under `id` (merging).
    package mutating func add(_ id: Int32, _ counters: TrafficCounters) {
        let i = Int(id)
        if i >= cells.count { extend(to: i) }
        cells[i].add(counters)
    }

    /// Replaces the mark of `id` (initially -1) and returns the previous one.
    @inline(__always)
    package mutating func exchangeMark(_ id: Int32, _ mark: Int32) -> Int32 {
        let i = Int(id)
        if i >= cells.count { extend(to: i) }
        let old = marks[i]
        marks[i] = mark
        return old
    }

    /// Calls `body` for every id that counted at least one record or merged aggregate.
    package func forEachEntry(_ body: (Int32, TrafficCounters) -> Void) {
        for (i, cell) in cells.enumerated() where cell.transactions > 0 || cell.bytesTotal != 0 {
            body(Int32(i), cell.counters)
        }
    }

    private mutating func extend(to i: Int) {
        let n = i + 1 - cells.count
        cells.append(contentsOf: repeatElement(CounterCell(), count: n))
        marks.append(contentsOf: repeatElement(-1, count: n))
    }
}
