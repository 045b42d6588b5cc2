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
/// - `discovery_traffic(day, app, data_source, user_name, source_ip, …)`: Cloud Discovery at the (day, app, data
///   source, user, source IP) grain, keyed by day first so that retention deletes a range of the key;
/// - `admins(name, password_hash, role, must_change_password, created_at)` (v2): local admin accounts;
/// - `api_tokens(id, name, token_hash, role, created_by, created_at, expires_at, revoked)` (v3): API bearer tokens,
///   kept only as the SHA-256 of their secret;
/// - `data_sources(id, name, format, transport, port, path, created_by, created_at, lines, records, ignored, rejected,
///   bytes, last_received_at)` (v4): continuous-discovery feeds (syslog ports and watched folders) with what each
///   received;
/// - `data_source_reasons(source_id, reason, count)` (v4): a data source's ignored and rejected lines by
///   `ignored:<code>` / `rejected:<code>` key;
/// - `alerts(id, time, kind, severity, title, description, entity, dedup_key, status)` (v4): alerts, at most one per
///   non-null dedup key;
/// - `snapshots(id, name, created_at, created_by, status, format, files, input_bytes, error, finished_at, summary,
///   report)` (v6): snapshot reports built from uploaded logs, with their report JSON;
/// - `discovery_app_day`, `discovery_user_day`, `discovery_ip_day`, `discovery_day` (v7): the dashboard's rollups
///   of `discovery_traffic`, with distinct-count sketches (``DiscoveryRollups``);
/// - `ip_ranges(id, name, category, blocks, tags, created_by, created_at, updated_by, updated_at)` (v8): the
///   organization's IP address ranges (``IPRangeRecord``);
/// - `custom_apps(id, name, vendor, category, domains, ip_ranges, score, note, created_by, created_at, updated_by,
///   updated_at)` (v9): the tenant's own apps (``CustomAppRecord``);
/// - `governance_log(id, time, kind, action, target, detail, status, initiated_by, error)` (v10): governance actions
///   (``GovernanceEntry``);
/// - `admin_app_scopes(admin, app)` (v11): the apps each app-scoped admin manages;
/// - v12 adds `data_source` to the key of `discovery_traffic` and of every rollup (continuous reports per data
///   source);
/// - `discovery_app_week`, `discovery_user_week`, `discovery_ip_week`, `discovery_week`, `discovery_weeks(day,
///   built_at)` (v13): weekly rollups of finished weeks, and which weeks they hold (``DiscoveryWeeks``);
/// - `activities(id, time, source, source_event_id, app, instance, actor_*, impersonated, ip, country, region, city,
///   latitude, longitude, isp, asn, ip_tags, user_agent, device_tags, type, raw_event_name, objects, result, raw)`
///   (v14): normalized activities from cloud audit logs (``Activity``), unique per (app, instance, source event id).
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
        Migration(
            id: "v4-data-sources-alerts",
            statements: [
                """
                CREATE TABLE data_sources (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, \
                format TEXT NOT NULL, transport TEXT NOT NULL, port INTEGER, path TEXT, created_by TEXT NOT NULL, \
                created_at INTEGER NOT NULL, lines INTEGER NOT NULL DEFAULT 0, records INTEGER NOT NULL DEFAULT 0, \
                ignored INTEGER NOT NULL DEFAULT 0, rejected INTEGER NOT NULL DEFAULT 0, \
                bytes INTEGER NOT NULL DEFAULT 0, last_received_at INTEGER)
                """,
                """
                CREATE TABLE data_source_reasons (source_id INTEGER NOT NULL, reason TEXT NOT NULL, \
                count INTEGER NOT NULL, PRIMARY KEY (source_id, reason)) WITHOUT ROWID
                """,
                """
                CREATE TABLE alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, kind TEXT NOT NULL, \
                severity TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL, entity TEXT NOT NULL, \
                dedup_key TEXT UNIQUE, status TEXT NOT NULL)
                """,
            ]
        ),
        sqliteSessions,
        Migration(
            id: "v6-snapshots",
            statements: [
                """
                CREATE TABLE snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, \
                created_at INTEGER NOT NULL, created_by TEXT NOT NULL, \
                status TEXT NOT NULL CHECK (status IN ('processing', 'ready', 'failed')), format TEXT, \
                files INTEGER NOT NULL DEFAULT 0, input_bytes INTEGER NOT NULL DEFAULT 0, error TEXT, \
                finished_at INTEGER, summary BLOB, report BLOB)
                """
            ]
        ),
        sqliteRollups,
        sqliteIPRanges,
        sqliteCustomApps,
        sqliteGovernance,
        sqliteAdminScopes,
        sqliteDataSourceReports,
        sqliteWeeklyRollups,
        sqliteActivities,
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
        Migration(
            id: "v4-data-sources-alerts",
            statements: [
                """
                CREATE TABLE data_sources (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, format TEXT NOT NULL, \
                transport TEXT NOT NULL, port INTEGER, path TEXT, created_by TEXT NOT NULL, \
                created_at BIGINT NOT NULL, lines BIGINT NOT NULL DEFAULT 0, records BIGINT NOT NULL DEFAULT 0, \
                ignored BIGINT NOT NULL DEFAULT 0, rejected BIGINT NOT NULL DEFAULT 0, \
                bytes BIGINT NOT NULL DEFAULT 0, last_received_at BIGINT)
                """,
                """
                CREATE TABLE data_source_reasons (source_id BIGINT NOT NULL, reason TEXT NOT NULL, \
                count BIGINT NOT NULL, PRIMARY KEY (source_id, reason))
                """,
                """
                CREATE TABLE alerts (id BIGSERIAL PRIMARY KEY, time BIGINT NOT NULL, kind TEXT NOT NULL, \
                severity TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL, entity TEXT NOT NULL, \
                dedup_key TEXT UNIQUE, status TEXT NOT NULL)
                """,
            ]
        ),
        postgresSessions,
        Migration(
            id: "v6-snapshots",
            statements: [
                """
                CREATE TABLE snapshots (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, created_at BIGINT NOT NULL, \
                created_by TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('processing', 'ready', 'failed')), \
                format TEXT, files INTEGER NOT NULL DEFAULT 0, input_bytes BIGINT NOT NULL DEFAULT 0, error TEXT, \
                finished_at BIGINT, summary BYTEA, report BYTEA)
                """
            ]
        ),
        postgresRollups,
        postgresIPRanges,
        postgresCustomApps,
        postgresGovernance,
        postgresAdminScopes,
        postgresDataSourceReports,
        postgresWeeklyRollups,
        postgresActivities,
    ]
}
