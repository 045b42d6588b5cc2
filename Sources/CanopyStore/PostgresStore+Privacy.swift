package import Foundation
import PostgresNIO

extension PostgresStore {
    // MARK: Privacy requests

    package func discoveryRows(user: String) async throws -> [DiscoveryRow] {
        try await run("read a user's discovery data") {
            let rows = try await client.query(
                """
                SELECT day, app, user_name, source_ip, bytes_up, bytes_down, bytes_total, transactions, blocked, \
                first_seen, last_seen
                FROM discovery_traffic WHERE user_name = \(user) ORDER BY day, app, source_ip
                """,
                logger: logger
            )
            var out: [DiscoveryRow] = []
            for try await (day, app, name, ip, up, down, total, tx, blocked, first, last) in rows.decode(
                (Int32, String, String, String, Int64, Int64, Int64, Int64, Int64, Int64, Int64).self
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
                        lastSeen: last
                    )
                )
            }
            return out
        }
    }

    package func deleteDiscovery(user: String) async throws -> Int {
        try await run("erase a user's discovery data") {
            let rows = try await client.query(
                "WITH d AS (DELETE FROM discovery_traffic WHERE user_name = \(user) RETURNING 1) SELECT COUNT(*) FROM d",
                logger: logger
            )
            for try await count in rows.decode(Int64.self) { return Int(count) }
            return 0
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
