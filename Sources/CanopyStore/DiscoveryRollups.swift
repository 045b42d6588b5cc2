/// Traffic counters that add up: one rollup row's sums.
package struct TrafficSums: Sendable, Hashable {
    package var bytesUp: Int64 = 0
    package var bytesDown: Int64 = 0
    package var bytesTotal: Int64 = 0
    package var transactions: Int64 = 0
    package var blocked: Int64 = 0
    /// Milliseconds since the epoch; `Int64.max` / `Int64.min` while nothing was added.
    package var firstSeen: Int64 = .max
    package var lastSeen: Int64 = .min

    package init() {}

    package init(
        bytesUp: Int64,
        bytesDown: Int64,
        bytesTotal: Int64,
        transactions: Int64,
        blocked: Int64,
        firstSeen: Int64,
        lastSeen: Int64
    ) {
        self.bytesUp = bytesUp
        self.bytesDown = bytesDown
        self.bytesTotal = bytesTotal
        self.transactions = transactions
        self.blocked = blocked
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }

    package mutating func add(_ r: DiscoveryRow) {
        add(
            TrafficSums(
                bytesUp: r.bytesUp,
                bytesDown: r.bytesDown,
                bytesTotal: r.bytesTotal,
                transactions: r.transactions,
                blocked: r.blocked,
                firstSeen: r.firstSeen,
                lastSeen: r.lastSeen
            )
        )
    }

    package mutating func add(_ s: TrafficSums) {
        bytesUp &+= s.bytesUp
        bytesDown &+= s.bytesDown
        bytesTotal &+= s.bytesTotal
        transactions &+= s.transactions
        blocked &+= s.blocked
        firstSeen = min(firstSeen, s.firstSeen)
        lastSeen = max(lastSeen, s.lastSeen)
    }
}

/// The Cloud Discovery rollups of a batch of (day, data source, app, user, IP) rows, kept beside that grain so that the
/// dashboard reads thousands of rows rather than millions. Every rollup is per data source as well, so each source's
/// continuous report reads its own rows and the global report merges those of every source:
/// - per (day, source, app): sums, and sketches of its users and source IPs (`discovery_app_day`);
/// - per (day, source, user) and (day, source, source IP): sums and a sketch of the apps used (`discovery_user_day`,
///   `discovery_ip_day`; rows without a user or IP are not entities);
/// - per (day, source): sums and sketches of all users and source IPs (`discovery_day`).
///
/// Both backends build these from each batch they store and merge them into the stored rows in the batch's
/// transaction; a rebuild recomputes them from the grain (after a migration or a privacy erase).
package struct DiscoveryRollups: Sendable {
    package struct AppDay: Hashable, Sendable {
        package var day: Int32
        package var dataSource: Int64
        package var app: String
    }

    package struct EntityDay: Hashable, Sendable {
        package var day: Int32
        package var dataSource: Int64
        package var key: String
    }

    package struct SourceDay: Hashable, Sendable {
        package var day: Int32
        package var dataSource: Int64
    }

    package struct WithTwoSketches: Sendable {
        package var sums = TrafficSums()
        package var users = DistinctSketch()
        package var ips = DistinctSketch()
    }

    package struct WithApps: Sendable {
        package var sums = TrafficSums()
        package var apps = DistinctSketch()
    }

    package var appDays: [AppDay: WithTwoSketches] = [:]
    package var userDays: [EntityDay: WithApps] = [:]
    package var ipDays: [EntityDay: WithApps] = [:]
    package var days: [SourceDay: WithTwoSketches] = [:]

    package init() {}

    package init(_ rows: some Sequence<DiscoveryRow>) {
        for r in rows { add(r) }
    }

    package mutating func add(_ r: DiscoveryRow) {
        let userHash = r.user.isEmpty ? nil : DistinctSketch.hash(r.user)
        let ipHash = r.sourceIP.isEmpty ? nil : DistinctSketch.hash(r.sourceIP)
        let appHash = DistinctSketch.hash(r.app)
        Self.addWithTwoSketches(
            &appDays[AppDay(day: r.day, dataSource: r.dataSource, app: r.app), default: WithTwoSketches()],
            r,
            userHash,
            ipHash
        )
        Self.addWithTwoSketches(
            &days[SourceDay(day: r.day, dataSource: r.dataSource), default: WithTwoSketches()],
            r,
            userHash,
            ipHash
        )
        if !r.user.isEmpty {
            userDays[EntityDay(day: r.day, dataSource: r.dataSource, key: r.user), default: WithApps()].add(r, appHash)
        }
        if !r.sourceIP.isEmpty {
            ipDays[EntityDay(day: r.day, dataSource: r.dataSource, key: r.sourceIP), default: WithApps()]
                .add(r, appHash)
        }
    }

    private static func addWithTwoSketches(
        _ value: inout WithTwoSketches,
        _ r: DiscoveryRow,
        _ userHash: UInt64?,
        _ ipHash: UInt64?
    ) {
        value.sums.add(r)
        if let userHash { value.users.insert(hash: userHash) }
        if let ipHash { value.ips.insert(hash: ipHash) }
    }
}

extension DiscoveryRollups.WithApps {
    fileprivate mutating func add(_ r: DiscoveryRow, _ appHash: UInt64) {
        sums.add(r)
        apps.insert(hash: appHash)
    }
}
