import NIOCore
import PostgresNIO

/// Writing the Cloud Discovery rollups (``DiscoveryRollups``) on PostgreSQL. Several nodes may store batches at once,
/// and a sketch is read, merged in Swift and written back, so every rollup write happens under one transaction-scoped
/// advisory lock: batches serialize on the rollups only (their grain rows are written before the lock is taken).
extension PostgresStore {
    /// The `pg_advisory_xact_lock` key of the rollup tables.
    static let rollupLock: Int64 = 0x4361_6E6F_7079_526C

    static let rollupTables = SQLiteStore.rollupTables

    static func lockRollups(_ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(\(rollupLock))", logger: logger)
    }

    /// Sums add up; stored sketches are merged with the batch's. Takes the rollup lock. Into the daily rollups, the
    /// weeks written to stop being built (``DiscoveryWeeks``); with `weekly`, `rollups` are whole weeks (keyed by
    /// their first day) and go into the weekly tables.
    static func merge(
        _ rollups: DiscoveryRollups,
        on connection: PostgresConnection,
        _ logger: Logger,
        weekly: Bool = false
    ) async throws {
        func table(_ daily: String) -> String { weekly ? DiscoveryWeeks.weekly(daily) : daily }
        try await lockRollups(connection, logger)
        if !weekly {
            try await unbuildWeeks(Set(rollups.days.keys.map { DiscoveryWeeks.start(of: $0.day) }), connection, logger)
        }
        try await mergeTable(
            RollupTable(name: table("discovery_app_day"), keyColumn: "app", sketchColumns: ["users", "ips"]),
            rollups.appDays.map {
                (
                    DiscoveryRollups.EntityDay(day: $0.key.day, dataSource: $0.key.dataSource, key: $0.key.app),
                    $0.value.sums, [$0.value.users, $0.value.ips]
                )
            },
            connection,
            logger
        )
        try await mergeTable(
            RollupTable(name: table("discovery_user_day"), keyColumn: "user_name", sketchColumns: ["apps"]),
            rollups.userDays.map { ($0.key, $0.value.sums, [$0.value.apps]) },
            connection,
            logger
        )
        try await mergeTable(
            RollupTable(name: table("discovery_ip_day"), keyColumn: "source_ip", sketchColumns: ["apps"]),
            rollups.ipDays.map { ($0.key, $0.value.sums, [$0.value.apps]) },
            connection,
            logger
        )
        try await mergeTable(
            RollupTable(name: table("discovery_day"), keyColumn: nil, sketchColumns: ["users", "ips"]),
            rollups.days.map {
                (
                    DiscoveryRollups.EntityDay(day: $0.key.day, dataSource: $0.key.dataSource, key: ""),
                    $0.value.sums, [$0.value.users, $0.value.ips]
                )
            },
            connection,
            logger
        )
    }

    /// Recomputes the rollups of `days` (every day when nil) from `discovery_traffic`, one day at a time.
    static func rebuildRollups(days: [Int32]?, on connection: PostgresConnection, _ logger: Logger) async throws {
        try await lockRollups(connection, logger)
        if let days {
            try await unbuildWeeks(Set(days.map(DiscoveryWeeks.start(of:))), connection, logger)
        } else {
            try await unbuildWeeks(before: nil, on: connection, logger)
        }
        var rebuilt = days ?? []
        if days == nil {
            let rows = try await connection.query(
                "SELECT DISTINCT day FROM discovery_traffic ORDER BY day",
                logger: logger
            )
            for try await day in rows.decode(Int32.self) { rebuilt.append(day) }
            for table in rollupTables {
                try await connection.query(
                    "DELETE FROM \(unescaped: table) WHERE day <> ALL(\(rebuilt)::integer[])",
                    logger: logger
                )
            }
        }
        for day in rebuilt {
            for table in rollupTables {
                try await connection.query("DELETE FROM \(unescaped: table) WHERE day = \(day)", logger: logger)
            }
            var rollups = DiscoveryRollups()
            let rows = try await connection.query(
                """
                SELECT day, app, user_name, source_ip, bytes_up, bytes_down, bytes_total, transactions, blocked,
                    first_seen, last_seen, data_source
                FROM discovery_traffic WHERE day = \(day)
                """,
                logger: logger
            )
            for row in try await discoveryRows(rows) { rollups.add(row) }
            try await merge(rollups, on: connection, logger)
        }
    }

    /// Rows of `day, app, user_name, source_ip, bytes_up, bytes_down, bytes_total, transactions, blocked,
    /// first_seen, last_seen, data_source`.
    static func discoveryRows(_ rows: PostgresRowSequence) async throws -> [DiscoveryRow] {
        var out: [DiscoveryRow] = []
        for try await (day, app, name, ip, up, down, total, tx, blocked, first, last, source) in rows.decode(
            (Int32, String, String, String, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64).self
        ) {
            out.append(
                DiscoveryRow(
                    day: day,
                    app: app,
                    user: name,
                    sourceIP: ip,
                    bytesUp: up,
                    bytesDown: down,
                    bytesTotal: total,
                    transactions: tx,
                    blocked: blocked,
                    firstSeen: first,
                    lastSeen: last,
                    dataSource: source
                )
            )
        }
        return out
    }

    /// One rollup table: keyed by day, data source and, except `discovery_day`, a text column. Names are constants,
    /// never input.
    struct RollupTable {
        var name: String
        var keyColumn: String?
        var sketchColumns: [String]
    }

    private static func mergeTable(
        _ table: RollupTable,
        _ rows: [(key: DiscoveryRollups.EntityDay, sums: TrafficSums, sketches: [DistinctSketch])],
        _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws {
        guard !rows.isEmpty else { return }
        var merged = rows
        var position: [DiscoveryRollups.EntityDay: Int] = [:]
        for (i, row) in rows.enumerated() { position[row.key] = i }
        let days = rows.map(\.key.day)
        let keys = rows.map(\.key.key)
        let sources = rows.map(\.key.dataSource)
        let sketchList = table.sketchColumns.map { "t.\($0)" }.joined(separator: ", ")
        let stored: PostgresRowSequence
        if let keyColumn = table.keyColumn {
            stored = try await connection.query(
                """
                SELECT t.day, t.data_source, t.\(unescaped: keyColumn), \(unescaped: sketchList)
                FROM \(unescaped: table.name) t
                JOIN UNNEST(\(days)::integer[], \(sources)::bigint[], \(keys)::text[]) AS k(day, source, key)
                    ON t.day = k.day AND t.data_source = k.source AND t.\(unescaped: keyColumn) = k.key
                """,
                logger: logger
            )
        } else {
            stored = try await connection.query(
                """
                SELECT t.day, t.data_source, '', \(unescaped: sketchList) FROM \(unescaped: table.name) t
                JOIN UNNEST(\(days)::integer[], \(sources)::bigint[]) AS k(day, source)
                    ON t.day = k.day AND t.data_source = k.source
                """,
                logger: logger
            )
        }
        for try await row in stored {
            let columns = row.makeRandomAccess()
            let key = DiscoveryRollups.EntityDay(
                day: try columns[0].decode(Int32.self),
                dataSource: try columns[1].decode(Int64.self),
                key: try columns[2].decode(String.self)
            )
            guard let i = position[key] else { continue }
            for s in table.sketchColumns.indices {
                let bytes = try columns[3 + s].decode(ByteBuffer.self)
                try merged[i].sketches[s].merge(serialized: bytes.readableBytesView)
            }
        }
        let sums = merged.map(\.sums)
        let columns =
            ["day", "data_source"] + (table.keyColumn.map { [$0] } ?? [])
            + ["bytes_up", "bytes_down", "bytes_total", "transactions", "blocked", "first_seen", "last_seen"]
            + table.sketchColumns
        var binds = PostgresBindings()
        var arrays = ["$1::integer[]", "$2::bigint[]"]
        binds.append(days)
        binds.append(sources)
        if table.keyColumn != nil {
            binds.append(keys)
            arrays.append("$\(arrays.count + 1)::text[]")
        }
        for values in [
            sums.map(\.bytesUp), sums.map(\.bytesDown), sums.map(\.bytesTotal), sums.map(\.transactions),
            sums.map(\.blocked), sums.map(\.firstSeen), sums.map(\.lastSeen),
        ] {
            binds.append(values)
            arrays.append("$\(arrays.count + 1)::bigint[]")
        }
        for s in table.sketchColumns.indices {
            binds.append(merged.map { ByteBuffer(bytes: $0.sketches[s].serialized) })
            arrays.append("$\(arrays.count + 1)::bytea[]")
        }
        let conflict = ["day", "data_source"] + (table.keyColumn.map { [$0] } ?? [])
        let updates =
            ["bytes_up", "bytes_down", "bytes_total", "transactions", "blocked"].map {
                "\($0) = \(table.name).\($0) + excluded.\($0)"
            }
            + [
                "first_seen = LEAST(\(table.name).first_seen, excluded.first_seen)",
                "last_seen = GREATEST(\(table.name).last_seen, excluded.last_seen)",
            ]
            + table.sketchColumns.map { "\($0) = excluded.\($0)" }
        let query = PostgresQuery(
            unsafeSQL: """
                INSERT INTO \(table.name) (\(columns.joined(separator: ", ")))
                SELECT * FROM UNNEST(\(arrays.joined(separator: ", ")))
                ON CONFLICT (\(conflict.joined(separator: ", "))) DO UPDATE SET \(updates.joined(separator: ", "))
                """,
            binds: binds
        )
        try await connection.query(query, logger: logger)
    }
}
