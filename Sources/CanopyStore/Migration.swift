/// A schema change in one SQL dialect: an id and its statements.
///
/// Migrations are frozen: once released, a migration's id and statements never change (a test pins their SHA-256);
/// every schema change is a new migration appended to the list.
package struct Migration: Sendable, Hashable {
    package let id: String
    package let statements: [String]

    package init(id: String, statements: [String]) {
        self.id = id
        self.statements = statements
    }
}

/// The schema, once per dialect. Tables, in both:
/// - `settings(key, value)`: settings as text (the server's, score weights, retention …);
/// - `app_tags(app, tag)`: sanctioned, unsanctioned and custom tags of catalog apps;
/// - `audit_log(id, time, actor, action, target, detail, source_ip)`: every admin action;
/// - `discovery_traffic(day, app, user_name, source_ip, …)`: Cloud Discovery at the (day, app, user, source IP)
///   grain, keyed by day first so that retention deletes a range of the key;
/// - `admins(name, password_hash, role, must_change_password, created_at)` (v2): local admin accounts;
/// - `api_tokens(id, name, token_hash, role, created_by, created_at, expires_at, revoked)` (v3): API bearer tokens,
///   kept only as the SHA-256 of their secret.
package enum Schema {
    /// SQLite (through GRDB's migrator).
    package static let sqlite: [Migration] = [
        Migration(
            id: "v1-settings-tags-audit-discovery",
            statements: [
                "CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID",
                "CREATE TABLE app_tags (app TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (app, tag)) WITHOUT ROWID",
                """
                CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, \
                actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL, source_ip TEXT)
                """,
                """
                CREATE TABLE discovery_traffic (day INTEGER NOT NULL, app TEXT NOT NULL, user_name TEXT NOT NULL, \
                source_ip TEXT NOT NULL, bytes_up INTEGER NOT NULL, bytes_down INTEGER NOT NULL, \
                bytes_total INTEGER NOT NULL, transactions INTEGER NOT NULL, blocked INTEGER NOT NULL, \
                first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, \
                PRIMARY KEY (day, app, user_name, source_ip)) WITHOUT ROWID
                """,
            ]
        ),
        Migration(
            id: "v2-admins",
            statements: [
                """
                CREATE TABLE admins (name TEXT PRIMARY KEY NOT NULL, password_hash TEXT NOT NULL, role TEXT NOT NULL, \
                must_change_password INTEGER NOT NULL, created_at INTEGER NOT NULL) WITHOUT ROWID
                """
            ]
        ),
        Migration(
            id: "v3-api-tokens",
            statements: [
                """
                CREATE TABLE api_tokens (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, \
                token_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, created_by TEXT NOT NULL, \
                created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0)
                """
            ]
        ),
    ]

    /// PostgreSQL.
    package static let postgres: [Migration] = [
        Migration(
            id: "v1-settings-tags-audit-discovery",
            statements: [
                "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                "CREATE TABLE app_tags (app TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (app, tag))",
                """
                CREATE TABLE audit_log (id BIGSERIAL PRIMARY KEY, time BIGINT NOT NULL, actor TEXT NOT NULL, \
                action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL, source_ip TEXT)
                """,
                """
                CREATE TABLE discovery_traffic (day INTEGER NOT NULL, app TEXT NOT NULL, user_name TEXT NOT NULL, \
                source_ip TEXT NOT NULL, bytes_up BIGINT NOT NULL, bytes_down BIGINT NOT NULL, \
                bytes_total BIGINT NOT NULL, transactions BIGINT NOT NULL, blocked BIGINT NOT NULL, \
                first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL, \
                PRIMARY KEY (day, app, user_name, source_ip))
                """,
            ]
        ),
        Migration(
            id: "v2-admins",
            statements: [
                """
                CREATE TABLE admins (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, role TEXT NOT NULL, \
                must_change_password BOOLEAN NOT NULL, created_at BIGINT NOT NULL)
                """
            ]
        ),
        Migration(
            id: "v3-api-tokens",
            statements: [
                """
                CREATE TABLE api_tokens (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, \
                role TEXT NOT NULL, created_by TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, \
                revoked BOOLEAN NOT NULL DEFAULT FALSE)
                """
            ]
        ),
    ]
}
