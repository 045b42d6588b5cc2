import PostgresNIO

extension PostgresStore {
    package func adminApps(named admin: String) async throws -> [String] {
        try await run("read admin scope") {
            let rows = try await client.query(
                "SELECT app FROM admin_app_scopes WHERE admin = \(admin) ORDER BY app",
                logger: logger
            )
            var out: [String] = []
            for try await app in rows.decode(String.self) { out.append(app) }
            return out
        }
    }

    package func setAdminApps(_ apps: [String], for admin: String) async throws {
        try await run("write admin scope") {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("DELETE FROM admin_app_scopes WHERE admin = \(admin)", logger: logger)
                for app in Set(apps) {
                    try await connection.query(
                        "INSERT INTO admin_app_scopes (admin, app) VALUES (\(admin), \(app))",
                        logger: logger
                    )
                }
            }
        }
    }
}
