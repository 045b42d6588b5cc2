import CanopyCore
package import CanopyDiscovery
package import CanopyStore

extension GrainAggregator {
    /// The aggregates as the store's (day, app, user, source IP) rows.
    ///
    /// - Parameters:
    ///   - catalog: the catalog the aggregator's matcher was built from (its app indexes name these apps).
    ///   - shiftDays: days added to every aggregate (demo data moved to end today); 0 keeps the logged days.
    ///   - pseudonymize: replaces each user name (anonymization); nil stores names as logged.
    ///   - dataSource: the data source that received the traffic (0: none).
    /// - Returns: one row per (day, app, user, source IP) aggregate.
    package func rows(
        catalog: AppCatalog,
        shiftDays: Int32 = 0,
        pseudonymize: (@Sendable (String) -> String)? = nil,
        dataSource: Int64 = 0
    ) -> [DiscoveryRow] {
        let shiftMs = Int64(shiftDays) * 86_400_000
        return cells.map { key, counters in
            DiscoveryRow(
                day: key.day + shiftDays,
                app: catalog.apps[Int(key.app)].id,
                user: key.user.isEmpty ? "" : pseudonymize?(key.user) ?? key.user,
                sourceIP: key.sourceIP,
                bytesUp: counters.bytesUp,
                bytesDown: counters.bytesDown,
                bytesTotal: counters.bytesTotal,
                transactions: counters.transactions,
                blocked: counters.blocked,
                firstSeen: counters.firstSeen == .max ? 0 : counters.firstSeen + shiftMs,
                lastSeen: counters.lastSeen == .min ? 0 : counters.lastSeen + shiftMs,
                dataSource: dataSource
            )
        }
    }
}

extension DataSourceIntake {
    /// What `statistics` counted beyond `previous` (statistics of the same parsing session read earlier), as an
    /// intake delta: lines, records, bytes and every ignored and rejected reason.
    package init(
        statistics: ParseStatistics,
        since previous: ParseStatistics = ParseStatistics(),
        lastReceivedAt: Int64?
    ) {
        var reasons: [String: Int64] = [:]
        var ignored: Int64 = 0
        var rejected: Int64 = 0
        for (reason, tally) in statistics.ignored {
            let count = Int64(tally.count - (previous.ignored[reason]?.count ?? 0))
            if count > 0 { reasons["ignored:\(reason.rawValue)"] = count }
            ignored += count
        }
        for (reason, tally) in statistics.rejected {
            let count = Int64(tally.count - (previous.rejected[reason]?.count ?? 0))
            if count > 0 { reasons["rejected:\(reason.rawValue)"] = count }
            rejected += count
        }
        self.init(
            lines: Int64(statistics.lines - previous.lines),
            records: Int64(statistics.records - previous.records),
            ignored: ignored,
            rejected: rejected,
            bytes: statistics.bytes - previous.bytes,
            reasons: reasons,
            lastReceivedAt: lastReceivedAt
        )
    }
}
