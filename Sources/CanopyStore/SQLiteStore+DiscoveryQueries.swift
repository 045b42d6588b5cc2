import GRDB

extension SQLiteStore {
    // MARK: Cloud Discovery dashboard

    package func discoveryTotals(days: ClosedRange<Int32>) async throws -> DiscoveryTotals {
        try await run("read discovery totals") { [pool] in
            try await pool.read { db in
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(DISTINCT app) AS apps, COUNT(DISTINCT NULLIF(user_name, '')) AS users,
                            COUNT(DISTINCT NULLIF(source_ip, '')) AS ips, COALESCE(SUM(bytes_up), 0) AS up,
                            COALESCE(SUM(bytes_down), 0) AS down, COALESCE(SUM(bytes_total), 0) AS total,
                            COALESCE(SUM(transactions), 0) AS tx, COALESCE(SUM(blocked), 0) AS blocked,
                            MIN(first_seen) AS first, MAX(last_seen) AS last
                        FROM discovery_traffic WHERE day BETWEEN ? AND ?
                        """,
                    arguments: [days.lowerBound, days.upperBound]
                )
                guard let row else { return DiscoveryTotals() }
                return DiscoveryTotals(
                    apps: row["apps"],
                    users: row["users"],
                    sourceIPs: row["ips"],
                    bytesUp: row["up"],
                    bytesDown: row["down"],
                    bytesTotal: row["total"],
                    transactions: row["tx"],
                    blocked: row["blocked"],
                    firstSeen: row["first"],
                    lastSeen: row["last"]
                )
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
        try await entities(column: "user_name", days: days, app: app, limit: limit)
    }

    package func discoveryByIP(
        days: ClosedRange<Int32>,
        app: String?,
        limit: Int?
    ) async throws
        -> [EntityUsageSummary]
    {
        try await entities(column: "source_ip", days: days, app: app, limit: limit)
    }

    /// `column` is one of two constants above, never input.
    private func entities(
        column: String,
        days: ClosedRange<Int32>,
        app: String?,
        limit: Int?
    ) async throws
        -> [EntityUsageSummary]
    {
        try await run("read discovery by \(column)") { [pool] in
            try await pool.read { db in
                var arguments: StatementArguments = [days.lowerBound, days.upperBound]
                if let app { arguments += [app] }
                arguments += [limit ?? -1]
                return try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(column) AS key, SUM(bytes_up) AS up, SUM(bytes_down) AS down,
                            SUM(bytes_total) AS total, SUM(transactions) AS tx, SUM(blocked) AS blocked,
                            COUNT(DISTINCT app) AS apps, MIN(first_seen) AS first, MAX(last_seen) AS last
                        FROM discovery_traffic
                        WHERE day BETWEEN ? AND ? AND \(column) <> ''\(app == nil ? "" : " AND app = ?")
                        GROUP BY \(column) ORDER BY total DESC, key LIMIT ?
                        """,
                    arguments: arguments
                ).map { row in
                    EntityUsageSummary(
                        key: row["key"],
                        bytesUp: row["up"],
                        bytesDown: row["down"],
                        bytesTotal: row["total"],
                        transactions: row["tx"],
                        blocked: row["blocked"],
                        apps: row["apps"],
                        firstSeen: row["first"],
                        lastSeen: row["last"]
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
                    sql: """
                        SELECT day, SUM(bytes_up) AS up, SUM(bytes_down) AS down, SUM(bytes_total) AS total,
                            SUM(transactions) AS tx, SUM(blocked) AS blocked
                        FROM discovery_traffic WHERE day BETWEEN ? AND ?\(app == nil ? "" : " AND app = ?")
                        GROUP BY day ORDER BY day
                        """,
                    arguments: arguments
                ).map { row in
                    DailyUsage(
                        day: row["day"],
                        bytesUp: row["up"],
                        bytesDown: row["down"],
                        bytesTotal: row["total"],
                        transactions: row["tx"],
                        blocked: row["blocked"]
                    )
                }
            }
        }
    }
}
