extension Schema {
    /// Portal sign-in sessions: the cookie's secret is kept only as its SHA-256 (`id_hash`), like API tokens.
    static let sqliteSessions = Migration(
        id: "v5-sessions",
        statements: [
            """
            CREATE TABLE sessions (id_hash TEXT PRIMARY KEY NOT NULL, admin TEXT NOT NULL, \
            csrf_token TEXT NOT NULL, created_at INTEGER NOT NULL, last_seen INTEGER NOT NULL, \
            expires_at INTEGER NOT NULL, source_ip TEXT) WITHOUT ROWID
            """,
            "CREATE INDEX sessions_by_admin ON sessions (admin)",
        ]
    )

    static let postgresSessions = Migration(
        id: "v5-sessions",
        statements: [
            """
            CREATE TABLE sessions (id_hash TEXT PRIMARY KEY, admin TEXT NOT NULL, csrf_token TEXT NOT NULL, \
            created_at BIGINT NOT NULL, last_seen BIGINT NOT NULL, expires_at BIGINT NOT NULL, source_ip TEXT)
            """,
            "CREATE INDEX sessions_by_admin ON sessions (admin)",
        ]
    )
}
