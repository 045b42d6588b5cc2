package import Foundation
import GRDB

extension SQLiteStore {
    // MARK: Privacy requests

    package func discoveryRows(user: String) async throws -> [DiscoveryRow] {
        try await run("read a user's discovery data") { [pool] in
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT day, app, user_name, source_ip, bytes_up, bytes_down, bytes_total, transactions,
                            blocked, first_seen, last_seen, data_source
                        FROM discovery_traffic WHERE user_name = ? ORDER BY day, app, data_source, source_ip
                        """,
                    arguments: [user]
                ).map(Self.discoveryRow)
            }
        }
    }

    package func deleteDiscovery(user: String) async throws -> Int {
        try await run("erase a user's discovery data") { [pool] in
            try await pool.write { db in
                let days = try Int32.fetchAll(
                    db,
                    sql: "SELECT DISTINCT day FROM discovery_traffic WHERE user_name = ?",
                    arguments: [user]
                )
                try db.execute(sql: "DELETE FROM discovery_traffic WHERE user_name = ?", arguments: [user])
                let deleted = db.changesCount
                // The rollups of those days still count the user (their bytes, their hash in the sketches).
                try Self.rebuildRollups(db, days: days)
                return deleted
            }
        }
    }

    package func replaceSnapshotReport(id: Int64, digest: Data?, report: Data) async throws -> Bool {
        try await run("replace snapshot report") { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: "UPDATE snapshots SET summary = ?, report = ? WHERE id = ? AND status = 'ready'",
                    arguments: [digest, report, id]
                )
                return db.changesCount > 0
            }
        }
    }

    // MARK: Alert retention

    package func deleteAlerts(before time: Int64) async throws -> Int {
        try await run("delete old alerts") { [pool] in
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM alerts WHERE time < ?", arguments: [time])
                return db.changesCount
            }
        }
    }
}
