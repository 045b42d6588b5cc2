import Foundation
import GRDB

/// The Cloud Discovery dashboard's reads: from the rollups (``DiscoveryRollups``) wherever the question allows, from
/// the (day, app, user, IP) grain only for one app's users and IPs.
extension SQLiteStore {
    package func discoveryByApp(days: ClosedRange<Int32>) async throws -> [AppUsageSummary] {
        try await run("read discovery") { [pool] in
            try await pool.read { db in
                var byApp: [String: DiscoveryRollups.WithTwoSketches] = [:]
                let rows = try Row.fetchCursor(
                    db,
                    sql: "SELECT app, \(Self.sumColumns), users, ips FROM discovery_app_day WHERE day BETWEEN ? AND ?",
                    arguments: [days.lowerBound, days.upperBound]
                )
                while let row = try rows.next() {
                    let app: String = row["app"]
                    try Self.add(row, into: &byApp[app, default: DiscoveryRollups.WithTwoSketches()])
                }
                return DiscoveryRollups.appSummaries(byApp)
            }
        }
    }

    package func discoveryTotals(days: ClosedRange<Int32>) async throws -> DiscoveryTotals {
        try await run("read discovery totals") { [pool] in
            try await pool.read { db in
                var total = DiscoveryRollups.WithTwoSketches()
                var anyDay = false
                let rows = try Row.fetchCursor(
                    db,
                    sql: "SELECT \(Self.sumColumns), users, ips FROM discovery_day WHERE day BETWEEN ? AND ?",
                    arguments: [days.lowerBound, days.upperBound]
                )
                while let row = try rows.next() {
                    try Self.add(row, into: &total)
                    anyDay = true
                }
                let apps =
                    try Int.fetchOne(
                        db,
                        sql: "SELECT COUNT(DISTINCT app) FROM discovery_app_day WHERE day BETWEEN ? AND ?",
                        arguments: [days.lowerBound, days.upperBound]
                    ) ?? 0
                return DiscoveryRollups.totals(anyDay ? total : nil, apps: apps)
            }
        }
    }

    package func discoveryByUser(
        days: ClosedRange<Int32>,
        app: String?,
        limit: Int?
    ) async throws
        -> [EntityUsageSummary]
    {
        if let app { return try await entitiesOfApp(column: "user_name", days: days, app: app, limit: limit) }
        return try await entities(table: "discovery_user_day", column: "user_name", days: days, limit: limit)
    }

    package func discoveryByIP(
        days: ClosedRange<Int32>,
        app: String?,
        limit: Int?
    ) async throws
        -> [EntityUsageSummary]
    {
        if let app { return try await entitiesOfApp(column: "source_ip", days: days, app: app, limit: limit) }
        return try await entities(table: "discovery_ip_day", column: "source_ip", days: days, limit: limit)
    }

    /// Top users or IPs from their daily rollup: the sums in SQL, then the app sketches of the chosen ones only.
    /// `table` and `column` are constants above, never input.
    private func entities(
        table: String,
        column: String,
        days: ClosedRange<Int32>,
        limit: Int?
    ) async throws
        -> [EntityUsageSummary]
    {
        try await run("read discovery by \(column)") { [pool] in
            try await pool.read { db in
                let ranked = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(column) AS key, \(Self.summedColumns)
                        FROM \(table) WHERE day BETWEEN ? AND ?
                        GROUP BY \(column) ORDER BY bytes_total DESC, key LIMIT ?
                        """,
                    arguments: [days.lowerBound, days.upperBound, limit ?? -1]
                )
                var apps: [String: DistinctSketch] = [:]
                let keys = ranked.map { $0["key"] as String }
                var sql = "SELECT \(column) AS key, apps FROM \(table) WHERE day BETWEEN ? AND ?"
                var arguments: StatementArguments = [days.lowerBound, days.upperBound]
                if limit != nil {
                    guard !keys.isEmpty else { return [] }
                    sql += " AND \(column) IN (\(Array(repeating: "?", count: keys.count).joined(separator: ", ")))"
                    arguments += StatementArguments(keys)
                }
                let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while let row = try rows.next() {
                    let key: String = row["key"]
                    try Self.mergeStored(row, "apps", into: &apps[key, default: DistinctSketch()])
                }
                return ranked.map { row in
                    let key: String = row["key"]
                    return DiscoveryRollups.entity(key, Self.sums(row), apps: apps[key] ?? DistinctSketch())
                }
            }
        }
    }

    /// One app's users or IPs, from the grain. `column` is a constant above, never input.
    private func entitiesOfApp(
        column: String,
        days: ClosedRange<Int32>,
        app: String,
        limit: Int?
    ) async throws
        -> [EntityUsageSummary]
    {
        try await run("read discovery by \(column)") { [pool] in
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(column) AS key, \(Self.summedColumns), COUNT(DISTINCT app) AS apps
                        FROM discovery_traffic
                        WHERE day BETWEEN ? AND ? AND \(column) <> '' AND app = ?
                        GROUP BY \(column) ORDER BY bytes_total DESC, key LIMIT ?
                        """,
                    arguments: [days.lowerBound, days.upperBound, app, limit ?? -1]
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

    package func discoveryDaily(days: ClosedRange<Int32>, app: String?) async throws -> [DailyUsage] {
        try await run("read discovery per day") { [pool] in
            try await pool.read { db in
                var arguments: StatementArguments = [days.lowerBound, days.upperBound]
                if let app { arguments += [app] }
                return try Row.fetchAll(
                    db,
                    sql: app == nil
                        ? "SELECT day, \(Self.sumColumns) FROM discovery_day WHERE day BETWEEN ? AND ? ORDER BY day"
                        : """
                        SELECT day, \(Self.sumColumns) FROM discovery_app_day WHERE day BETWEEN ? AND ? AND app = ?
                        ORDER BY day
                        """,
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

    static let sumColumns = "bytes_up, bytes_down, bytes_total, transactions, blocked, first_seen, last_seen"

    static let summedColumns = """
        SUM(bytes_up) AS bytes_up, SUM(bytes_down) AS bytes_down, SUM(bytes_total) AS bytes_total, \
        SUM(transactions) AS transactions, SUM(blocked) AS blocked, MIN(first_seen) AS first_seen, \
        MAX(last_seen) AS last_seen
        """

    static func sums(_ row: Row) -> TrafficSums {
        TrafficSums(
            bytesUp: row["bytes_up"],
            bytesDown: row["bytes_down"],
            bytesTotal: row["bytes_total"],
            transactions: row["transactions"],
            blocked: row["blocked"],
            firstSeen: row["first_seen"],
            lastSeen: row["last_seen"]
        )
    }

    private static func add(_ row: Row, into value: inout DiscoveryRollups.WithTwoSketches) throws {
        value.sums.add(sums(row))
        try mergeStored(row, "users", into: &value.users)
        try mergeStored(row, "ips", into: &value.ips)
    }
}
