import Foundation
import GRDB

/// The Cloud Discovery dashboard's reads, of the global continuous report (`dataSource` nil: every source) or of one
/// data source's: from the rollups (``DiscoveryRollups``) wherever the question allows, from the (day, app, source,
/// user, IP) grain only for one app's users and IPs.
extension SQLiteStore {
    package func discoveryByApp(days: ClosedRange<Int32>, dataSource: Int64?) async throws -> [AppUsageSummary] {
        try await run("read discovery") { [pool] in
            try await pool.read { db in
                var byApp: [String: DiscoveryRollups.WithTwoSketches] = [:]
                let rows = try Row.fetchCursor(
                    db,
                    sql: SQLiteDashboardSQL.scoped(SQLiteDashboardSQL.appDays, dataSource),
                    arguments: SQLiteDashboardSQL.arguments(days, dataSource)
                )
                while let row = try rows.next() {
                    let app: String = row[0]
                    try Self.add(row, at: 1, into: &byApp[app, default: DiscoveryRollups.WithTwoSketches()])
                }
                return DiscoveryRollups.appSummaries(byApp)
            }
        }
    }

    package func discoveryTotals(days: ClosedRange<Int32>, dataSource: Int64?) async throws -> DiscoveryTotals {
        try await run("read discovery totals") { [pool] in
            try await pool.read { db in
                var total = DiscoveryRollups.WithTwoSketches()
                var anyDay = false
                let rows = try Row.fetchCursor(
                    db,
                    sql: SQLiteDashboardSQL.scoped(SQLiteDashboardSQL.days, dataSource),
                    arguments: SQLiteDashboardSQL.arguments(days, dataSource)
                )
                while let row = try rows.next() {
                    try Self.add(row, at: 0, into: &total)
                    anyDay = true
                }
                let apps =
                    try Int.fetchOne(
                        db,
                        sql: SQLiteDashboardSQL.scoped(SQLiteDashboardSQL.appCount, dataSource),
                        arguments: SQLiteDashboardSQL.arguments(days, dataSource)
                    ) ?? 0
                return DiscoveryRollups.totals(anyDay ? total : nil, apps: apps)
            }
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
        if let app {
            return try await entitiesOfApp(
                column: "user_name",
                days: days,
                dataSource: dataSource,
                app: app,
                limit: limit
            )
        }
        return try await entities(SQLiteDashboardSQL.users, days: days, dataSource: dataSource, limit: limit)
    }

    package func discoveryByIP(
        days: ClosedRange<Int32>,
        dataSource: Int64?,
        app: String?,
        limit: Int?
    ) async throws
        -> [EntityUsageSummary]
    {
        if let app {
            return try await entitiesOfApp(
                column: "source_ip",
                days: days,
                dataSource: dataSource,
                app: app,
                limit: limit
            )
        }
        return try await entities(SQLiteDashboardSQL.ips, days: days, dataSource: dataSource, limit: limit)
    }

    /// Top users or IPs from their daily rollup: summed in Swift from one sequential read of the range (SQLite's
    /// GROUP BY sorts through a temporary B-tree, several times slower here), then the app sketches of the chosen
    /// ones only.
    private func entities(
        _ entity: SQLiteDashboardSQL.Entity,
        days: ClosedRange<Int32>,
        dataSource: Int64?,
        limit: Int?
    ) async throws
        -> [EntityUsageSummary]
    {
        let (table, column) = (entity.table, entity.column)
        return try await run("read discovery by \(column)") { [pool] in
            try await pool.read { db in
                var sums: [String: TrafficSums] = [:]
                let rows = try Row.fetchCursor(
                    db,
                    sql: SQLiteDashboardSQL.scoped(
                        SQLiteDashboardSQL.entityDays(table: table, column: column),
                        dataSource
                    ),
                    arguments: SQLiteDashboardSQL.arguments(days, dataSource)
                )
                while let row = try rows.next() {
                    let key: String = row[0]
                    sums[key, default: TrafficSums()].add(Self.sums(row, at: 1))
                }
                var ranked = sums.sorted { ($0.value.bytesTotal, $1.key) > ($1.value.bytesTotal, $0.key) }
                if let limit { ranked = Array(ranked.prefix(max(limit, 0))) }
                guard !ranked.isEmpty else { return [] }
                var apps: [String: DistinctSketch] = [:]
                var arguments = SQLiteDashboardSQL.arguments(days, dataSource)
                if limit != nil { arguments += StatementArguments(ranked.map(\.key)) }
                let sketches = try Row.fetchCursor(
                    db,
                    sql: SQLiteDashboardSQL.scoped(
                        SQLiteDashboardSQL.appSketches(
                            table: table,
                            column: column,
                            keys: limit == nil ? nil : ranked.count
                        ),
                        dataSource
                    ),
                    arguments: arguments
                )
                while let row = try sketches.next() {
                    let key: String = row["key"]
                    try Self.mergeStored(row, "apps", into: &apps[key, default: DistinctSketch()])
                }
                return ranked.map { DiscoveryRollups.entity($0.key, $0.value, apps: apps[$0.key] ?? DistinctSketch()) }
            }
        }
    }

    /// One app's users or IPs, from the grain. `column` is a constant above, never input.
    private func entitiesOfApp(
        column: String,
        days: ClosedRange<Int32>,
        dataSource: Int64?,
        app: String,
        limit: Int?
    ) async throws
        -> [EntityUsageSummary]
    {
        try await run("read discovery by \(column)") { [pool] in
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: SQLiteDashboardSQL.scoped(
                        """
                        SELECT \(column) AS key, \(SQLiteDashboardSQL.summedColumns), COUNT(DISTINCT app) AS apps
                        FROM discovery_traffic
                        WHERE day BETWEEN ? AND ? AND \(column) <> '' AND app = ?
                        GROUP BY \(column) ORDER BY bytes_total DESC, key LIMIT ?
                        """,
                        dataSource
                    ),
                    arguments: SQLiteDashboardSQL.arguments(days, dataSource) + [app, limit ?? -1]
                ).map { row in
                    EntityUsageSummary(
                        key: row["key"],
                        bytesUp: row["bytes_up"],
                        bytesDown: row["bytes_down"],
                        bytesTotal: row["bytes_total"],
                        transactions: row["transactions"],
                        blocked: row["blocked"],
                        apps: row["apps"],
                        firstSeen: row["first_seen"],
                        lastSeen: row["last_seen"]
                    )
                }
            }
        }
    }

    package func discoveryDaily(
        days: ClosedRange<Int32>,
        dataSource: Int64?,
        app: String?
    ) async throws -> [DailyUsage] {
        try await run("read discovery per day") { [pool] in
            try await pool.read { db in
                var arguments = SQLiteDashboardSQL.arguments(days, dataSource)
                if let app { arguments += [app] }
                return try Row.fetchAll(
                    db,
                    sql: SQLiteDashboardSQL.scoped(
                        app == nil ? SQLiteDashboardSQL.daily : SQLiteDashboardSQL.appDaily,
                        dataSource
                    ),
                    arguments: arguments
                ).map { row in
                    DailyUsage(
                        day: row["day"],
                        bytesUp: row["bytes_up"],
                        bytesDown: row["bytes_down"],
                        bytesTotal: row["bytes_total"],
                        transactions: row["transactions"],
                        blocked: row["blocked"]
                    )
                }
            }
        }
    }

    // MARK: Reading rollup rows

    /// The sums of a row whose columns from `first` are ``SQLiteDashboardSQL/sumColumns`` (read by index: by name,
    /// GRDB searches the columns at every access, which showed in the dashboard's profile).
    static func sums(_ row: Row, at first: Int) -> TrafficSums {
        TrafficSums(
            bytesUp: row[first],
            bytesDown: row[first + 1],
            bytesTotal: row[first + 2],
            transactions: row[first + 3],
            blocked: row[first + 4],
            firstSeen: row[first + 5],
            lastSeen: row[first + 6]
        )
    }

    /// Adds a row whose sums start at `first`, followed by the user and IP sketches.
    private static func add(_ row: Row, at first: Int, into value: inout DiscoveryRollups.WithTwoSketches) throws {
        value.sums.add(sums(row, at: first))
        try mergeStored(row, at: first + 7, into: &value.users)
        try mergeStored(row, at: first + 8, into: &value.ips)
    }
}

/// The SQL of the dashboard's reads on SQLite, `?` for bound values, in one place so that the benchmark runs the very
/// same text in the `sqlite3` CLI. Table and column names are constants of ``SQLiteStore``, never input.
package enum SQLiteDashboardSQL {
    /// A daily entity rollup: its table and key column.
    package struct Entity: Sendable {
        package let table: String
        package let column: String
    }

    package static let users = Entity(table: "discovery_user_day", column: "user_name")
    package static let ips = Entity(table: "discovery_ip_day", column: "source_ip")

    static let sumColumns = "bytes_up, bytes_down, bytes_total, transactions, blocked, first_seen, last_seen"

    static let summedColumns = """
        SUM(bytes_up) AS bytes_up, SUM(bytes_down) AS bytes_down, SUM(bytes_total) AS bytes_total, \
        SUM(transactions) AS transactions, SUM(blocked) AS blocked, MIN(first_seen) AS first_seen, \
        MAX(last_seen) AS last_seen
        """

    /// Apps: every (day, app) rollup of the range, summed and merged in Swift.
    package static let appDays =
        "SELECT app, \(sumColumns), users, ips FROM discovery_app_day WHERE day BETWEEN ? AND ?"
    /// Totals: every day rollup of the range, and the number of apps.
    package static let days = "SELECT \(sumColumns), users, ips FROM discovery_day WHERE day BETWEEN ? AND ?"
    package static let appCount = "SELECT COUNT(DISTINCT app) FROM discovery_app_day WHERE day BETWEEN ? AND ?"
    /// Per day: the day's rows of every source summed (one per source; the key is (day, source), so no sort).
    package static let daily =
        "SELECT day, \(summedColumns) FROM discovery_day WHERE day BETWEEN ? AND ? GROUP BY day ORDER BY day"
    static let appDaily = """
        SELECT day, \(summedColumns) FROM discovery_app_day WHERE day BETWEEN ? AND ? AND app = ? \
        GROUP BY day ORDER BY day
        """

    /// `sql` (whose only day condition is `day BETWEEN ? AND ?`) limited to one data source's continuous report, its
    /// value bound right after the days (``arguments(_:_:)``); unchanged for the global report (nil).
    package static func scoped(_ sql: String, _ dataSource: Int64?) -> String {
        guard dataSource != nil else { return sql }
        return sql.replacingOccurrences(of: "day BETWEEN ? AND ?", with: "day BETWEEN ? AND ? AND data_source = ?")
    }

    /// The day range's bounds, then the data source when there is one (``scoped(_:_:)``).
    static func arguments(_ days: ClosedRange<Int32>, _ dataSource: Int64?) -> StatementArguments {
        var arguments: StatementArguments = [days.lowerBound, days.upperBound]
        if let dataSource { arguments += [dataSource] }
        return arguments
    }

    /// Every (day, user) or (day, IP) rollup of a range, summed per key in Swift.
    package static func entityDays(table: String, column: String) -> String {
        "SELECT \(column) AS key, \(sumColumns) FROM \(table) WHERE day BETWEEN ? AND ?"
    }

    /// The app sketches of `keys` chosen users or IPs (every one when nil).
    package static func appSketches(table: String, column: String, keys: Int?) -> String {
        let chosen = keys.map { " AND \(column) IN (\(Array(repeating: "?", count: $0).joined(separator: ", ")))" }
        return "SELECT \(column) AS key, apps FROM \(table) WHERE day BETWEEN ? AND ?" + (chosen ?? "")
    }
}
