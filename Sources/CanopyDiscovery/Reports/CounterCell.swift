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

/// The last two members (source IPs, users) seen with one aggregate, so that a member set is only touched for a
/// pair not seen recently: a user's laptop and VPN address, an IP's two users, alternate without missing.
struct RecentMembers: Sendable {
    private var last: Int32 = -1
    private var previous: Int32 = -1

    /// Remembers `member`; false when it was already one of the last two.
    @inline(__always)
    mutating func note(_ member: Int32) -> Bool {
        if member == last || member == previous { return false }
        previous = last
        last = member
        return true
    }
}

/// Counters indexed directly by a dense interned id (users, source IPs, unknown destinations): no hashing, and a
/// ``RecentMembers`` per id that callers use to skip repeated member-set inserts (the users last seen on an IP, …).
package struct DenseCounters: Sendable {
    private var cells: [CounterCell] = []
    private var recent: [RecentMembers] = []

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

    /// Remembers `member` among the recent members of `id`; false when it was one of the last two.
    @inline(__always)
    package mutating func noteRecent(_ id: Int32, _ member: Int32) -> Bool {
        let i = Int(id)
        if i >= cells.count { extend(to: i) }
        return recent[i].note(member)
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
        recent.append(contentsOf: repeatElement(RecentMembers(), count: n))
    }
}
