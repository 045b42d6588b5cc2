package import CanopyCore

/// Traffic sums for one group of records.
package struct TrafficCounters: Sendable, Hashable, Codable {
    /// Bytes the client sent.
    package var bytesUp: Int64 = 0
    /// Bytes the client received.
    package var bytesDown: Int64 = 0
    /// All bytes: up + down, plus totals of logs that do not split directions.
    package var bytesTotal: Int64 = 0
    package var transactions: Int64 = 0
    package var blocked: Int64 = 0
    /// First and last record time, in ms since the epoch (records without a time do not move them).
    package var firstSeen: Int64 = .max
    package var lastSeen: Int64 = .min

    package init() {}

    @inline(__always)
    package mutating func add(up: Int64, down: Int64, total: Int64, blocked isBlocked: Bool, time: Int64?) {
        bytesUp &+= up
        bytesDown &+= down
        bytesTotal &+= total
        transactions &+= 1
        if isBlocked { blocked &+= 1 }
        if let time {
            if time < firstSeen { firstSeen = time }
            if time > lastSeen { lastSeen = time }
        }
    }

    /// Counts one record: its bytes (up, down, total), a transaction, a block, its time.
    package mutating func add(_ record: TrafficRecord) {
        add(
            up: record.bytesUp ?? 0,
            down: record.bytesDown ?? 0,
            total: record.totalBytes,
            blocked: record.action == .blocked,
            time: record.time?.millisecondsSinceEpoch
        )
    }

    private enum CodingKeys: String, CodingKey {
        case bytesUp, bytesDown, bytesTotal, transactions, blocked, firstSeen, lastSeen
    }

    /// `firstSeen`/`lastSeen` are left out while no record with a time was counted (never the placeholder extremes).
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(bytesUp, forKey: .bytesUp)
        try c.encode(bytesDown, forKey: .bytesDown)
        try c.encode(bytesTotal, forKey: .bytesTotal)
        try c.encode(transactions, forKey: .transactions)
        try c.encode(blocked, forKey: .blocked)
        if firstSeen <= lastSeen {
            try c.encode(firstSeen, forKey: .firstSeen)
            try c.encode(lastSeen, forKey: .lastSeen)
        }
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bytesUp = try c.decode(Int64.self, forKey: .bytesUp)
        bytesDown = try c.decode(Int64.self, forKey: .bytesDown)
        bytesTotal = try c.decode(Int64.self, forKey: .bytesTotal)
        transactions = try c.decode(Int64.self, forKey: .transactions)
        blocked = try c.decode(Int64.self, forKey: .blocked)
        firstSeen = try c.decodeIfPresent(Int64.self, forKey: .firstSeen) ?? .max
        lastSeen = try c.decodeIfPresent(Int64.self, forKey: .lastSeen) ?? .min
    }

    package mutating func add(_ other: TrafficCounters) {
        bytesUp &+= other.bytesUp
        bytesDown &+= other.bytesDown
        bytesTotal &+= other.bytesTotal
        transactions &+= other.transactions
        blocked &+= other.blocked
        firstSeen = min(firstSeen, other.firstSeen)
        lastSeen = max(lastSeen, other.lastSeen)
    }
}
