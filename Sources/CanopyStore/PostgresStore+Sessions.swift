import PostgresNIO

extension PostgresStore {
    // MARK: Admin accounts and portal sessions

    package func admins() async throws -> [AdminAccount] {
        try await run("read admins") {
            let rows = try await client.query(
                "SELECT name, password_hash, role, must_change_password, created_at FROM admins ORDER BY name",
                logger: logger
            )
            var admins: [AdminAccount] = []
            for try await (name, hash, role, mustChange, created) in rows.decode(
                (String, String, String, Bool, Int64).self
            ) {
                admins.append(
                    AdminAccount(
                        name: name,
                        passwordHash: hash,
                        role: role,
                        mustChangePassword: mustChange,
                        createdAt: created
                    )
                )
            }
            return admins
        }
    }

    package func updateAdmin(_ a: AdminAccount) async throws -> Bool {
        try await run("update admin") {
            let rows = try await client.query(
                """
                UPDATE admins SET password_hash = \(a.passwordHash), role = \(a.role), \
                must_change_password = \(a.mustChangePassword) WHERE name = \(a.name) RETURNING 1
                """,
                logger: logger
            )
            for try await _ in rows { return true }
            return false
        }
    }

    package func deleteAdmin(named name: String) async throws -> Bool {
        try await run("delete admin") {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("DELETE FROM sessions WHERE admin = \(name)", logger: logger)
                let rows = try await connection.query(
                    "DELETE FROM admins WHERE name = \(name) RETURNING 1",
                    logger: logger
                )
                for try await _ in rows { return true }
                return false
            }
        }
    }

    package func createSession(_ s: AdminSession) async throws {
        try await run("create session") {
            try await client.query(
                """
                INSERT INTO sessions (id_hash, admin, csrf_token, created_at, last_seen, expires_at, source_ip)
                VALUES (\(s.idHash), \(s.admin), \(s.csrfToken), \(s.createdAt), \(s.lastSeen), \(s.expiresAt), \
                \(s.sourceIP))
                """,
                logger: logger
            )
        }
    }

    package func session(idHash: String) async throws -> AdminSession? {
        try await run("read session") {
            let rows = try await client.query(
                """
                SELECT id_hash, admin, csrf_token, created_at, last_seen, expires_at, source_ip
                FROM sessions WHERE id_hash = \(idHash)
                """,
                logger: logger
            )
            for try await (hash, admin, csrf, created, seen, expires, ip) in rows.decode(
                (String, String, String, Int64, Int64, Int64, String?).self
            ) {
                return AdminSession(
                    idHash: hash,
                    admin: admin,
                    csrfToken: csrf,
                    createdAt: created,
                    lastSeen: seen,
                    expiresAt: expires,
                    sourceIP: ip
                )
            }
            return nil
        }
    }

    package func touchSession(idHash: String, lastSeen: Int64) async throws {
        try await run("touch session") {
            try await client.query(
                "UPDATE sessions SET last_seen = GREATEST(last_seen, \(lastSeen)) WHERE id_hash = \(idHash)",
                logger: logger
            )
        }
    }

    package func deleteSession(idHash: String) async throws -> Bool {
        try await run("delete session") {
            let rows = try await client.query(
                "DELETE FROM sessions WHERE id_hash = \(idHash) RETURNING 1",
                logger: logger
            )
            for try await _ in rows { return true }
            return false
        }
    }

    package func deleteSessions(admin: String) async throws -> Int {
        try await run("delete sessions") {
            let rows = try await client.query(
                "DELETE FROM sessions WHERE admin = \(admin) RETURNING 1",
                logger: logger
            )
            var count = 0
            for try await _ in rows { count += 1 }
            return count
        }
    }

    package func deleteExpiredSessions(now: Int64, idleSince: Int64) async throws -> Int {
        try await run("delete expired sessions") {
            let rows = try await client.query(
                "DELETE FROM sessions WHERE expires_at <= \(now) OR last_seen < \(idleSince) RETURNING 1",
                logger: logger
            )
            var count = 0
            for try await _ in rows { count += 1 }
            return count
        }
    }
}
