import NIOCore
import PostgresNIO

/// The weekly rollups on PostgreSQL (``DiscoveryWeeks``): built from the daily rollups of finished weeks, one week a
/// transaction, under the rollup lock that every rollup write takes — so a week's build and a batch that touches the
/// week serialize even across nodes, and a week is listed as built only with every row it had when it was built.
extension PostgresStore {
    static let weeklyTables = rollupTables.map(DiscoveryWeeks.weekly)

    package func buildDiscoveryWeeks(before day: Int32, now: Int64) async throws -> Int {
        let pending = try await run("find discovery weeks to build") {
            try await client.withConnection { connection in
                try await Self.unbuiltWeeks(before: DiscoveryWeeks.start(of: day), connection, logger)
            }
        }
        var built = 0
        for start in pending {
            let wasBuilt = try await run("build a discovery week") {
                try await client.withTransaction(logger: logger) { connection in
                    try await Self.lockRollups(connection, logger)
                    let unbuilt = try await Self.unbuiltWeeks(
                        before: start + DiscoveryWeeks.length,
                        connection,
                        logger
                    )
                    guard unbuilt.contains(start) else { return false }
                    let week = try await Self.weekRollups(start: start, connection, logger)
                    try await Self.merge(week, on: connection, logger, weekly: true)
                    try await connection.query(
                        "INSERT INTO discovery_weeks (day, built_at) VALUES (\(start), \(now))",
                        logger: logger
                    )
                    return true
                }
            }
            if wasBuilt { built += 1 }
        }
        return built
    }

    /// Week starts before `limit` that have daily rollups and are not built.
    private static func unbuiltWeeks(
        before limit: Int32,
        _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws -> [Int32] {
        let rows = try await connection.query(
            """
            SELECT DISTINCT day FROM discovery_day WHERE day < \(limit)
                AND day - ((day - 4) % 7 + 7) % 7 NOT IN (SELECT day FROM discovery_weeks)
            ORDER BY day
            """,
            logger: logger
        )
        var starts: [Int32] = []
        for try await day in rows.decode(Int32.self) {
            let start = DiscoveryWeeks.start(of: day)
            if starts.last != start { starts.append(start) }
        }
        return starts
    }

    /// The daily rollups of the week that starts on `start`, added up under `start`.
    private static func weekRollups(
        start: Int32,
        _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws -> DiscoveryRollups {
        var week = DiscoveryRollups()
        let range = "day BETWEEN \(start) AND \(start + DiscoveryWeeks.length - 1)"
        let sums = sumColumns
        let apps = try await connection.query(
            "SELECT app, \(unescaped: sums), users, ips, data_source FROM discovery_app_day WHERE \(unescaped: range)",
            logger: logger
        )
        for try await row in apps {
            let columns = row.makeRandomAccess()
            let key = DiscoveryRollups.AppDay(
                day: start,
                dataSource: try columns[10].decode(Int64.self),
                app: try columns[0].decode(String.self)
            )
            try add(columns, into: &week.appDays[key, default: DiscoveryRollups.WithTwoSketches()])
        }
        for (table, column, path) in [
            ("discovery_user_day", "user_name", \DiscoveryRollups.userDays),
            ("discovery_ip_day", "source_ip", \DiscoveryRollups.ipDays),
        ] {
            let rows = try await connection.query(
                """
                SELECT \(unescaped: column), \(unescaped: sums), apps, data_source FROM \(unescaped: table)
                WHERE \(unescaped: range)
                """,
                logger: logger
            )
            for try await row in rows {
                let columns = row.makeRandomAccess()
                let key = DiscoveryRollups.EntityDay(
                    day: start,
                    dataSource: try columns[9].decode(Int64.self),
                    key: try columns[0].decode(String.self)
                )
                week[keyPath: path][key, default: DiscoveryRollups.WithApps()].sums.add(try Self.sums(columns))
                try week[keyPath: path][key, default: DiscoveryRollups.WithApps()].apps.merge(
                    serialized: try columns[8].decode(ByteBuffer.self).readableBytesView
                )
            }
        }
        let days = try await connection.query(
            "SELECT day, \(unescaped: sums), users, ips, data_source FROM discovery_day WHERE \(unescaped: range)",
            logger: logger
        )
        for try await row in days {
            let columns = row.makeRandomAccess()
            let key = DiscoveryRollups.SourceDay(day: start, dataSource: try columns[10].decode(Int64.self))
            try add(columns, into: &week.days[key, default: DiscoveryRollups.WithTwoSketches()])
        }
        return week
    }

    /// Takes the weeks starting on `starts` off the built list, with their weekly rows. Under the rollup lock.
    static func unbuildWeeks(
        _ starts: Set<Int32>,
        _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws {
        guard !starts.isEmpty else { return }
        let list = Array(starts)
        let rows = try await connection.query(
            "WITH d AS (DELETE FROM discovery_weeks WHERE day = ANY(\(list)::integer[]) RETURNING day) SELECT day FROM d",
            logger: logger
        )
        var unbuilt: [Int32] = []
        for try await day in rows.decode(Int32.self) { unbuilt.append(day) }
        guard !unbuilt.isEmpty else { return }
        for table in weeklyTables {
            try await connection.query(
                "DELETE FROM \(unescaped: table) WHERE day = ANY(\(unbuilt)::integer[])",
                logger: logger
            )
        }
    }

    /// Takes every built week that starts before `day` (every one when nil) off the list, with its weekly rows: a
    /// deletion of the days before `day` touches each of them. Under the rollup lock.
    static func unbuildWeeks(before day: Int32?, on connection: PostgresConnection, _ logger: Logger) async throws {
        let limit = day ?? .max
        try await connection.query("DELETE FROM discovery_weeks WHERE day < \(limit)", logger: logger)
        for table in weeklyTables {
            try await connection.query("DELETE FROM \(unescaped: table) WHERE day < \(limit)", logger: logger)
        }
    }

    /// Which rows answer `range`: the built weeks inside it from the weekly rollups, the other days from the daily.
    package func discoveryWeeks(_ range: ClosedRange<Int32>) async throws -> DiscoveryWeeks {
        let rows = try await client.query(
            "SELECT day FROM discovery_weeks WHERE day BETWEEN \(range.lowerBound) AND \(range.upperBound)",
            logger: logger
        )
        var built: Set<Int32> = []
        for try await day in rows.decode(Int32.self) { built.insert(day) }
        return DiscoveryWeeks(range, built: built)
    }
}
