import NIOCore
import PostgresNIO

/// The Cloud Discovery dashboard's reads, of the global continuous report (`dataSource` nil: every source) or of one
/// data source's: from the rollups (``DiscoveryRollups``) wherever the question allows, from the (day, app, source,
/// user, IP) grain only for one app's users and IPs.
extension PostgresStore {
    package func discoveryByApp(days: ClosedRange<Int32>, dataSource: Int64?) async throws -> [AppUsageSummary] {
        try await run("read discovery") {
            let columns = "app, \(Self.sumColumns), users, ips"
            let source = try await discoveryWeeks(days).source(
                "discovery_app_day",
                columns: columns,
                dataSource: dataSource
            )
            let rows = try await client.query(
                "SELECT \(unescaped: columns) FROM \(unescaped: source)",
                logger: logger
            )
            var byApp: [String: DiscoveryRollups.WithTwoSketches] = [:]
            for try await row in rows {
                let columns = row.makeRandomAccess()
                let app = try columns[0].decode(String.self)
                try Self.add(columns, into: &byApp[app, default: DiscoveryRollups.WithTwoSketches()])
            }
            return DiscoveryRollups.appSummaries(byApp)
        }
    }

    package func discoveryTotals(days: ClosedRange<Int32>, dataSource: Int64?) async throws -> DiscoveryTotals {
        try await run("read discovery totals") {
            let weeks = try await discoveryWeeks(days)
            let columns = "day, \(Self.sumColumns), users, ips"
            let rows = try await client.query(
                """
                SELECT \(unescaped: columns)
                FROM \(unescaped: weeks.source("discovery_day", columns: columns, dataSource: dataSource))
                """,
                logger: logger
            )
            var total = DiscoveryRollups.WithTwoSketches()
            var anyDay = false
            for try await row in rows {
                try Self.add(row.makeRandomAccess(), into: &total)
                anyDay = true
            }
            let apps = try await client.query(
                """
                SELECT COUNT(DISTINCT app)
                FROM \(unescaped: weeks.source("discovery_app_day", columns: "app", dataSource: dataSource))
                """,
                logger: logger
            )
            var appCount = 0
            for try await count in apps.decode(Int64.self) { appCount = Int(count) }
            return DiscoveryRollups.totals(anyDay ? total : nil, apps: appCount)
        }
    }

    package func discoveryByUser(
        days: ClosedRange<Int32>,
        dataSource: Int64?,
        app: String?,
        limit: Int?
    ) async throws
        -> [EntityUsageSummary]
    {
        try await entities(
            table: "discovery_user_day",
            column: "user_name",
            days: days,
            dataSource: dataSource,
            app: app,
            limit: limit
        )
    }

    package func discoveryByIP(
        days: ClosedRange<Int32>,
        dataSource: Int64?,
        app: String?,
        limit: Int?
    ) async throws
        -> [EntityUsageSummary]
    {
        try await entities(
            table: "discovery_ip_day",
            column: "source_ip",
            days: days,
            dataSource: dataSource,
            app: app,
            limit: limit
        )
    }

    /// Top users or IPs: of all apps from their daily rollup (sums in SQL, then the app sketches of the chosen ones),
    /// of one app from the grain. `table` and `column` are constants above, never input.
    private func entities(
        table: String,
        column: String,
        days: ClosedRange<Int32>,
        dataSource: Int64?,
        app: String?,
        limit: Int?
    ) async throws
        -> [EntityUsageSummary]
    {
        try await run("read discovery by \(column)") {
            let limit = Int64(limit ?? Int(Int32.max))
            let weeks = try await discoveryWeeks(days)
            let summed = """
                SUM(bytes_up)::bigint, SUM(bytes_down)::bigint, SUM(bytes_total)::bigint AS total,
                SUM(transactions)::bigint, SUM(blocked)::bigint, MIN(first_seen), MAX(last_seen)
                """
            let query: PostgresQuery =
                if let app {
                    """
                    SELECT \(unescaped: column), \(unescaped: summed), COUNT(DISTINCT app) FROM discovery_traffic
                    WHERE \(unescaped: Self.range(days, dataSource)) AND \(unescaped: column) <> '' AND app = \(app)
                    GROUP BY \(unescaped: column) ORDER BY total DESC, \(unescaped: column) LIMIT \(limit)
                    """
                } else {
                    """
                    SELECT \(unescaped: column), \(unescaped: summed), 0::bigint
                    FROM \(unescaped: weeks.source(table, columns: "\(column), \(Self.sumColumns)", dataSource: dataSource))
                    GROUP BY \(unescaped: column) ORDER BY total DESC, \(unescaped: column) LIMIT \(limit)
                    """
                }
            let rows = try await client.query(query, logger: logger)
            var out: [EntityUsageSummary] = []
            for try await (key, up, down, total, tx, blocked, first, last, apps) in rows.decode(
                (String, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64).self
            ) {
                let sums = TrafficSums(
                    bytesUp: up,
                    bytesDown: down,
                    bytesTotal: total,
                    transactions: tx,
                    blocked: blocked,
                    firstSeen: first,
                    lastSeen: last
                )
                var entity = DiscoveryRollups.entity(key, sums, apps: DistinctSketch())
                entity.apps = Int(apps)
                out.append(entity)
            }
            guard app == nil, !out.isEmpty else { return out }
            let sketches = try await client.query(
                """
                SELECT \(unescaped: column), apps
                FROM \(unescaped: weeks.source(table, columns: "\(column), apps", dataSource: dataSource))
                WHERE \(unescaped: column) = ANY(\(out.map(\.key))::text[])
                """,
                logger: logger
            )
            var apps: [String: DistinctSketch] = [:]
            for try await (key, bytes) in sketches.decode((String, ByteBuffer).self) {
                try apps[key, default: DistinctSketch()].merge(serialized: bytes.readableBytesView)
            }
            for i in out.indices { out[i].apps = apps[out[i].key]?.count ?? 0 }
            return out
        }
    }

    package func discoveryDaily(
        days: ClosedRange<Int32>,
        dataSource: Int64?,
        app: String?
    ) async throws -> [DailyUsage] {
        try await run("read discovery per day") {
            let summed = """
                SUM(bytes_up)::bigint, SUM(bytes_down)::bigint, SUM(bytes_total)::bigint, SUM(transactions)::bigint,
                SUM(blocked)::bigint
                """
            let query: PostgresQuery =
                if let app {
                    """
                    SELECT day, \(unescaped: summed) FROM discovery_app_day
                    WHERE \(unescaped: Self.range(days, dataSource)) AND app = \(app) GROUP BY day ORDER BY day
                    """
                } else {
                    """
                    SELECT day, \(unescaped: summed) FROM discovery_day
                    WHERE \(unescaped: Self.range(days, dataSource)) GROUP BY day ORDER BY day
                    """
                }
            let rows = try await client.query(query, logger: logger)
            var out: [DailyUsage] = []
            for try await (day, up, down, total, tx, blocked) in rows.decode(
                (Int32, Int64, Int64, Int64, Int64, Int64).self
            ) {
                out.append(
                    DailyUsage(
                        day: day,
                        bytesUp: up,
                        bytesDown: down,
                        bytesTotal: total,
                        transactions: tx,
                        blocked: blocked
                    )
                )
            }
            return out
        }
    }

    /// `day BETWEEN … AND …`, and `AND data_source = …` for one data source's report. The values are integers
    /// written as SQL literals (nothing a caller types can reach the text).
    private static func range(_ days: ClosedRange<Int32>, _ dataSource: Int64?) -> String {
        let range = "day BETWEEN \(days.lowerBound) AND \(days.upperBound)"
        guard let dataSource else { return range }
        return range + " AND data_source = \(dataSource)"
    }

    static let sumColumns = "bytes_up, bytes_down, bytes_total, transactions, blocked, first_seen, last_seen"

    /// The sums in columns 1–7 of a rollup row.
    static func sums(_ columns: PostgresRandomAccessRow) throws -> TrafficSums {
        TrafficSums(
            bytesUp: try columns[1].decode(Int64.self),
            bytesDown: try columns[2].decode(Int64.self),
            bytesTotal: try columns[3].decode(Int64.self),
            transactions: try columns[4].decode(Int64.self),
            blocked: try columns[5].decode(Int64.self),
            firstSeen: try columns[6].decode(Int64.self),
            lastSeen: try columns[7].decode(Int64.self)
        )
    }

    /// Adds a rollup row whose columns 1–7 are the sums and 8–9 the user and IP sketches.
    static func add(
        _ columns: PostgresRandomAccessRow,
        into value: inout DiscoveryRollups.WithTwoSketches
    ) throws {
        value.sums.add(try sums(columns))
        try value.users.merge(serialized: try columns[8].decode(ByteBuffer.self).readableBytesView)
        try value.ips.merge(serialized: try columns[9].decode(ByteBuffer.self).readableBytesView)
    }
}
