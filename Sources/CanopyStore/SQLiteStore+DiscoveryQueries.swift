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
                    sql: SQLiteDashboardSQL.appDays(try Self.weeks(db, days), dataSource)
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
                let weeks = try Self.weeks(db, days)
                let rows = try Row.fetchCursor(db, sql: SQLiteDashboardSQL.days(weeks, dataSource))
                while let row = try rows.next() {
                    try Self.add(row, at: 0, into: &total)
                    anyDay = true
                }
                let apps = try Int.fetchOne(db, sql: SQLiteDashboardSQL.appCount(weeks, dataSource)) ?? 0
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
        try await run("read discovery by \(entity.column)") { [pool] in
            try await pool.read { db in
                var sums: [String: TrafficSums] = [:]
                let weeks = try Self.weeks(db, days)
                let rows = try Row.fetchCursor(db, sql: SQLiteDashboardSQL.entityDays(entity, weeks, dataSource))
                while let row = try rows.next() {
                    let key: String = row[0]
                    sums[key, default: TrafficSums()].add(Self.sums(row, at: 1))
                }
                var ranked = sums.sorted { ($0.value.bytesTotal, $1.key) > ($1.value.bytesTotal, $0.key) }
                if let limit { ranked = Array(ranked.prefix(max(limit, 0))) }
                guard !ranked.isEmpty else { return [] }
                var apps: [String: DistinctSketch] = [:]
                let sketches = try Row.fetchCursor(
                    db,
                    sql: SQLiteDashboardSQL.appSketches(
                        entity,
                        weeks,
                        dataSource,
                        keys: limit == nil ? nil : ranked.count
                    ),
                    arguments: limit == nil ? [] : StatementArguments(ranked.map(\.key))
                )
                while let row = try sketches.next() {
                    let key: String = row[0]
                    try Self.mergeStored(row, at: 1, into: &apps[key, default: DistinctSketch()])
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
                try Row.fetchAll(
                    db,
                    sql: app == nil
                        ? SQLiteDashboardSQL.daily(days, dataSource) : SQLiteDashboardSQL.appDaily(days, dataSource),
                    arguments: app.map { [$0] } ?? []
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
    static func add(_ row: Row, at first: Int, into value: inout DiscoveryRollups.WithTwoSketches) throws {
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

    /// Apps: every (day or week, app) rollup of the range, summed and merged in Swift.
    package static func appDays(_ weeks: DiscoveryWeeks, _ dataSource: Int64?) -> String {
        let columns = "app, \(sumColumns), users, ips"
        return "SELECT \(columns) FROM \(weeks.source("discovery_app_day", columns: columns, dataSource: dataSource))"
    }

    /// Totals: every day or week rollup of the range…
    package static func days(_ weeks: DiscoveryWeeks, _ dataSource: Int64?) -> String {
        let columns = "\(sumColumns), users, ips"
        return "SELECT \(columns) FROM \(weeks.source("discovery_day", columns: columns, dataSource: dataSource))"
    }

    /// … and the number of apps.
    package static func appCount(_ weeks: DiscoveryWeeks, _ dataSource: Int64?) -> String {
        "SELECT COUNT(DISTINCT app) FROM \(weeks.source("discovery_app_day", columns: "app", dataSource: dataSource))"
    }

    /// Per day (always from the daily rollups): the day's rows of every source summed (one per source; the key is
    /// (day, source), so no sort).
    package static func daily(_ days: ClosedRange<Int32>, _ dataSource: Int64?) -> String {
        let source = DiscoveryWeeks(daily: days).source(
            "discovery_day",
            columns: "day, \(sumColumns)",
            dataSource: dataSource
        )
        return "SELECT day, \(summedColumns) FROM \(source) GROUP BY day ORDER BY day"
    }

    /// One app per day, its name bound.
    static func appDaily(_ days: ClosedRange<Int32>, _ dataSource: Int64?) -> String {
        let source = DiscoveryWeeks(daily: days).source(
            "discovery_app_day",
            columns: "day, app, \(sumColumns)",
            dataSource: dataSource
        )
        return "SELECT day, \(summedColumns) FROM \(source) WHERE app = ? GROUP BY day ORDER BY day"
    }

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

    /// Every (day or week, user) or (day or week, IP) rollup of a range, summed per key in Swift.
    package static func entityDays(_ entity: Entity, _ weeks: DiscoveryWeeks, _ dataSource: Int64?) -> String {
        let source = weeks.source(
            entity.table,
            columns: "\(entity.column) AS key, \(sumColumns)",
            dataSource: dataSource
        )
        return "SELECT key, \(sumColumns) FROM \(source)"
    }

    /// The app sketches of `keys` chosen users or IPs, bound in turn (every one when nil).
    package static func appSketches(
        _ entity: Entity,
        _ weeks: DiscoveryWeeks,
        _ dataSource: Int64?,
        keys: Int?
    ) -> String {
        let source = weeks.source(entity.table, columns: "\(entity.column) AS key, apps", dataSource: dataSource)
        let chosen = keys.map { " WHERE key IN (\(Array(repeating: "?", count: $0).joined(separator: ", ")))" }
        return "SELECT key, apps FROM \(source)" + (chosen ?? "")
    }
}
