import GRDB

extension SQLiteStore {
    package func adminApps(named admin: String) async throws -> [String] {
        try await run("read admin scope") { [pool] in
            try await pool.read { db in
                try String.fetchAll(
                    db,
                    sql: "SELECT app FROM admin_app_scopes WHERE admin = ? ORDER BY app",
                    arguments: [admin]
                )
            }
        }
    }

    package func setAdminApps(_ apps: [String], for admin: String) async throws {
        try await run("write admin scope") { [pool] in
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM admin_app_scopes WHERE admin = ?", arguments: [admin])
                for app in Set(apps) {
                    try db.execute(
                        sql: "INSERT INTO admin_app_scopes (admin, app) VALUES (?, ?)",
                        arguments: [admin, app]
                    )
                }
            }
        }
    }
}
