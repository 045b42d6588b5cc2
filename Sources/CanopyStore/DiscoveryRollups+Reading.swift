/// Turning summed rollup rows into the dashboard's models: shared by both backends, which fetch the rows of a range
/// of days and add them up here (the sketches merge in Swift, not in SQL).
extension DiscoveryRollups {
    /// Apps by total bytes, then id.
    package static func appSummaries(_ byApp: [String: WithTwoSketches]) -> [AppUsageSummary] {
        byApp.map { app, v in
            AppUsageSummary(
                app: app,
                bytesUp: v.sums.bytesUp,
                bytesDown: v.sums.bytesDown,
                bytesTotal: v.sums.bytesTotal,
                transactions: v.sums.transactions,
                blocked: v.sums.blocked,
                users: v.users.count,
                sourceIPs: v.ips.count,
                firstSeen: v.sums.firstSeen,
                lastSeen: v.sums.lastSeen
            )
        }
        .sorted { ($0.bytesTotal, $1.app) > ($1.bytesTotal, $0.app) }
    }

    package static func totals(_ days: WithTwoSketches?, apps: Int) -> DiscoveryTotals {
        guard let days else { return DiscoveryTotals() }
        return DiscoveryTotals(
            apps: apps,
            users: days.users.count,
            sourceIPs: days.ips.count,
            bytesUp: days.sums.bytesUp,
            bytesDown: days.sums.bytesDown,
            bytesTotal: days.sums.bytesTotal,
            transactions: days.sums.transactions,
            blocked: days.sums.blocked,
            firstSeen: days.sums.firstSeen,
            lastSeen: days.sums.lastSeen
        )
    }

    package static func entity(_ key: String, _ sums: TrafficSums, apps: DistinctSketch) -> EntityUsageSummary {
        EntityUsageSummary(
            key: key,
            bytesUp: sums.bytesUp,
            bytesDown: sums.bytesDown,
            bytesTotal: sums.bytesTotal,
            transactions: sums.transactions,
            blocked: sums.blocked,
            apps: apps.count,
            firstSeen: sums.firstSeen,
            lastSeen: sums.lastSeen
        )
    }
}
