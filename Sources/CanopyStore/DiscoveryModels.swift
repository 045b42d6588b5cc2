/// Cloud Discovery totals over a range of days (the dashboard's tiles). Empty user names and source IPs are not
/// counted as users or IPs.
package struct DiscoveryTotals: Sendable, Hashable {
    package var apps: Int
    package var users: Int
    package var sourceIPs: Int
    package var bytesUp: Int64
    package var bytesDown: Int64
    package var bytesTotal: Int64
    package var transactions: Int64
    package var blocked: Int64
    /// Milliseconds since the epoch; nil when there is no traffic in the range.
    package var firstSeen: Int64?
    package var lastSeen: Int64?

    package init(
        apps: Int = 0,
        users: Int = 0,
        sourceIPs: Int = 0,
        bytesUp: Int64 = 0,
        bytesDown: Int64 = 0,
        bytesTotal: Int64 = 0,
        transactions: Int64 = 0,
        blocked: Int64 = 0,
        firstSeen: Int64? = nil,
        lastSeen: Int64? = nil
    ) {
        self.apps = apps
        self.users = users
        self.sourceIPs = sourceIPs
        self.bytesUp = bytesUp
        self.bytesDown = bytesDown
        self.bytesTotal = bytesTotal
        self.transactions = transactions
        self.blocked = blocked
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// One user's (or one source IP's) traffic over a range of days.
package struct EntityUsageSummary: Sendable, Hashable {
    /// The user name or the source IP.
    package var key: String
    package var bytesUp: Int64
    package var bytesDown: Int64
    package var bytesTotal: Int64
    package var transactions: Int64
    package var blocked: Int64
    /// Distinct apps used.
    package var apps: Int
    package var firstSeen: Int64
    package var lastSeen: Int64

    package init(
        key: String,
        bytesUp: Int64,
        bytesDown: Int64,
        bytesTotal: Int64,
        transactions: Int64,
        blocked: Int64,
        apps: Int,
        firstSeen: Int64,
        lastSeen: Int64
    ) {
        self.key = key
        self.bytesUp = bytesUp
        self.bytesDown = bytesDown
        self.bytesTotal = bytesTotal
        self.transactions = transactions
        self.blocked = blocked
        self.apps = apps
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// One day's traffic (usage over time).
package struct DailyUsage: Sendable, Hashable {
    /// Days since the epoch.
    package var day: Int32
    package var bytesUp: Int64
    package var bytesDown: Int64
    package var bytesTotal: Int64
    package var transactions: Int64
    package var blocked: Int64

    package init(day: Int32, bytesUp: Int64, bytesDown: Int64, bytesTotal: Int64, transactions: Int64, blocked: Int64) {
        self.day = day
        self.bytesUp = bytesUp
        self.bytesDown = bytesDown
        self.bytesTotal = bytesTotal
        self.transactions = transactions
        self.blocked = blocked
    }
}
