package import Foundation
import PostgresNIO

extension PostgresStore {
    // MARK: Privacy requests

    package func discoveryRows(user: String) async throws -> [DiscoveryRow] {
        try await run("read a user's discovery data") {
            let rows = try await client.query(
                """
                SELECT day, app, user_name, source_ip, bytes_up, bytes_down, bytes_total, transactions, blocked, \
                first_seen, last_seen, data_source
                FROM discovery_traffic WHERE user_name = \(user) ORDER BY day, app, data_source, source_ip
                """,
                logger: logger
            )
            return try await Self.discoveryRows(rows)
        }
    }

    package func deleteDiscovery(user: String) async throws -> Int {
        try await run("erase a user's discovery data") {
            try await client.withTransaction(logger: logger) { connection in
                try await Self.lockRollups(connection, logger)
                let rows = try await connection.query(
                    "DELETE FROM discovery_traffic WHERE user_name = \(user) RETURNING day",
                    logger: logger
                )
                var deleted = 0
                var days: Set<Int32> = []
                for try await day in rows.decode(Int32.self) {
                    deleted += 1
                    days.insert(day)
                }
                // The rollups of those days still count the user (their bytes, their hash in the sketches).
                try await Self.rebuildRollups(days: days.sorted(), on: connection, logger)
                return deleted
            }
        }
    }

    package func replaceSnapshotReport(id: Int64, digest: Data?, report: Data) async throws -> Bool {
        try await run("replace snapshot report") {
            let rows = try await client.query(
                """
                UPDATE snapshots SET summary = \(digest), report = \(report) WHERE id = \(id) AND status = 'ready' \
                RETURNING 1
                """,
                logger: logger
            )
            for try await _ in rows { return true }
            return false
        }
    }

    // MARK: Alert retention

    package func deleteAlerts(before time: Int64) async throws -> Int {
        try await run("delete old alerts") {
            let rows = try await client.query(
                "WITH d AS (DELETE FROM alerts WHERE time < \(time) RETURNING 1) SELECT COUNT(*) FROM d",
                logger: logger
            )
            for try await count in rows.decode(Int64.self) { return Int(count) }
            return 0
        }
    }
}
