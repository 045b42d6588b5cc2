import PostgresNIO

extension PostgresStore {
    // MARK: Cloud Discovery dashboard

    package func discoveryTotals(days: ClosedRange<Int32>) async throws -> DiscoveryTotals {
        try await run("read discovery totals") {
            let rows = try await client.query(
                """
                SELECT COUNT(DISTINCT app), COUNT(DISTINCT NULLIF(user_name, '')), COUNT(DISTINCT NULLIF(source_ip, '')),
                    COALESCE(SUM(bytes_up), 0)::bigint, COALESCE(SUM(bytes_down), 0)::bigint,
                    COALESCE(SUM(bytes_total), 0)::bigint, COALESCE(SUM(transactions), 0)::bigint,
                    COALESCE(SUM(blocked), 0)::bigint, MIN(first_seen), MAX(last_seen)
                FROM discovery_traffic WHERE day BETWEEN \(days.lowerBound) AND \(days.upperBound)
                """,
                logger: logger
            )
            for try await (apps, users, ips, up, down, total, tx, blocked, first, last) in rows.decode(
                (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64?, Int64?).self
            ) {
                return DiscoveryTotals(
                    apps: Int(apps),
                    users: Int(users),
                    sourceIPs: Int(ips),
                    bytesUp: up,
                    bytesDown: down,
                    bytesTotal: total,
                    transactions: tx,
                    blocked: blocked,
                    firstSeen: first,
                    lastSeen: last
                )
            }
            return DiscoveryTotals()
        }
    }

    package func discoveryByUser(
        days: ClosedRange<Int32>,
        app: String?,
        limit: Int?
    ) async throws
        -> [EntityUsageSummary]
    {
        try await entities(byIP: false, days: days, app: app, limit: limit)
    }

    package func discoveryByIP(
        days: ClosedRange<Int32>,
        app: String?,
        limit: Int?
    ) async throws
        -> [EntityUsageSummary]
    {
        try await entities(byIP: true, days: days, app: app, limit: limit)
    }

    private func entities(
        byIP: Bool,
        days: ClosedRange<Int32>,
        app: String?,
        limit: Int?
    ) async throws
        -> [EntityUsageSummary]
    {
        try await run("read discovery by \(byIP ? "IP" : "user")") {
            // Column names cannot be bound; the two statements differ only in them.
            let limit = Int64(limit ?? Int(Int32.max))
            let query: PostgresQuery =
                byIP
                ? """
                SELECT source_ip, SUM(bytes_up)::bigint, SUM(bytes_down)::bigint, SUM(bytes_total)::bigint AS total,
                    SUM(transactions)::bigint, SUM(blocked)::bigint, COUNT(DISTINCT app), MIN(first_seen),
                    MAX(last_seen)
                FROM discovery_traffic
                WHERE day BETWEEN \(days.lowerBound) AND \(days.upperBound) AND source_ip <> ''
                    AND (\(app)::text IS NULL OR app = \(app))
                GROUP BY source_ip ORDER BY total DESC, source_ip LIMIT \(limit)
                """
                : """
                SELECT user_name, SUM(bytes_up)::bigint, SUM(bytes_down)::bigint, SUM(bytes_total)::bigint AS total,
                    SUM(transactions)::bigint, SUM(blocked)::bigint, COUNT(DISTINCT app), MIN(first_seen),
                    MAX(last_seen)
                FROM discovery_traffic
                WHERE day BETWEEN \(days.lowerBound) AND \(days.upperBound) AND user_name <> ''
                    AND (\(app)::text IS NULL OR app = \(app))
                GROUP BY user_name ORDER BY total DESC, user_name LIMIT \(limit)
                """
            let rows = try await client.query(query, logger: logger)
            var out: [EntityUsageSummary] = []
            for try await (key, up, down, total, tx, blocked, apps, first, last) in rows.decode(
                (String, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64).self
            ) {
                out.append(
                    EntityUsageSummary(
                        key: key,
                        bytesUp: up,
                        bytesDown: down,
                        bytesTotal: total,
                        transactions: tx,
                        blocked: blocked,
                        apps: Int(apps),
                        firstSeen: first,
                        lastSeen: last
                    )
                )
            }
            return out
        }
    }

    package func discoveryDaily(days: ClosedRange<Int32>, app: String?) async throws -> [DailyUsage] {
        try await run("read discovery per day") {
            let rows = try await client.query(
                """
                SELECT day, SUM(bytes_up)::bigint, SUM(bytes_down)::bigint, SUM(bytes_total)::bigint,
                    SUM(transactions)::bigint, SUM(blocked)::bigint
                FROM discovery_traffic WHERE day BETWEEN \(days.lowerBound) AND \(days.upperBound)
                    AND (\(app)::text IS NULL OR app = \(app))
                GROUP BY day ORDER BY day
                """,
                logger: logger
            )
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
}
