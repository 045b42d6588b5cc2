import GRDB

extension SQLiteStore {
    // MARK: Admin accounts and portal sessions

    package func admins() async throws -> [AdminAccount] {
        try await run("read admins") { [pool] in
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT name, password_hash, role, must_change_password, created_at FROM admins ORDER BY name"
                ).map { row in
                    AdminAccount(
                        name: row["name"],
                        passwordHash: row["password_hash"],
                        role: row["role"],
                        mustChangePassword: row["must_change_password"],
                        createdAt: row["created_at"]
                    )
                }
            }
        }
    }

    package func updateAdmin(_ a: AdminAccount) async throws -> Bool {
        try await run("update admin") { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: "UPDATE admins SET password_hash = ?, role = ?, must_change_password = ? WHERE name = ?",
                    arguments: [a.passwordHash, a.role, a.mustChangePassword, a.name]
                )
                return db.changesCount > 0
            }
        }
    }

    package func deleteAdmin(named name: String) async throws -> Bool {
        try await run("delete admin") { [pool] in
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM sessions WHERE admin = ?", arguments: [name])
                try db.execute(sql: "DELETE FROM admins WHERE name = ?", arguments: [name])
                return db.changesCount > 0
            }
        }
    }

    package func createSession(_ s: AdminSession) async throws {
        try await run("create session") { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO sessions (id_hash, admin, csrf_token, created_at, last_seen, expires_at, source_ip)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [s.idHash, s.admin, s.csrfToken, s.createdAt, s.lastSeen, s.expiresAt, s.sourceIP]
                )
            }
        }
    }

    package func session(idHash: String) async throws -> AdminSession? {
        try await run("read session") { [pool] in
            try await pool.read { db in
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id_hash, admin, csrf_token, created_at, last_seen, expires_at, source_ip
                        FROM sessions WHERE id_hash = ?
                        """,
                    arguments: [idHash]
                ).map { row in
                    AdminSession(
                        idHash: row["id_hash"],
                        admin: row["admin"],
                        csrfToken: row["csrf_token"],
                        createdAt: row["created_at"],
                        lastSeen: row["last_seen"],
                        expiresAt: row["expires_at"],
                        sourceIP: row["source_ip"]
                    )
                }
            }
        }
    }

    package func touchSession(idHash: String, lastSeen: Int64) async throws {
        try await run("touch session") { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: "UPDATE sessions SET last_seen = max(last_seen, ?) WHERE id_hash = ?",
                    arguments: [lastSeen, idHash]
                )
            }
        }
    }

    package func deleteSession(idHash: String) async throws -> Bool {
        try await run("delete session") { [pool] in
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM sessions WHERE id_hash = ?", arguments: [idHash])
                return db.changesCount > 0
            }
        }
    }

    package func deleteSessions(admin: String) async throws -> Int {
        try await run("delete sessions") { [pool] in
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM sessions WHERE admin = ?", arguments: [admin])
                return db.changesCount
            }
        }
    }

    package func deleteExpiredSessions(now: Int64, idleSince: Int64) async throws -> Int {
        try await run("delete expired sessions") { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: "DELETE FROM sessions WHERE expires_at <= ? OR last_seen < ?",
                    arguments: [now, idleSince]
                )
                return db.changesCount
            }
        }
    }
}
