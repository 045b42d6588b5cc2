import Foundation
package import Logging
package import PostgresNIO

/// The store for several nodes: PostgreSQL through a PostgresNIO connection pool, migrated from
/// ``Schema/postgres`` under an advisory lock so that nodes starting together apply each migration once.
package final class PostgresStore: Store {
    let client: PostgresClient
    private let runner: Task<Void, Never>
    let logger: Logger

    /// A key for `pg_advisory_xact_lock` that only Canopy's migrations take.
    private static let migrationLock: Int64 = 0x4361_6E6F_7079_4D67

    /// Connects a pool to `configuration` (the pool runs until ``shutdown()``).
    package init(configuration: PostgresClient.Configuration, logger: Logger = Logger(label: "canopy.store")) {
        client = PostgresClient(configuration: configuration)
        runner = Task { [client] in await client.run() }
        self.logger = logger
    }

    /// Closes the pool's connections.
    package func shutdown() async {
        runner.cancel()
        _ = await runner.value
    }

    package func migrate() async throws {
        try await run("migrate") {
            for migration in Schema.postgres {
                try await client.withTransaction(logger: logger) { connection in
                    // Under the lock, so that nodes starting together do not race on the bookkeeping table either.
                    try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
                    try await connection.query(
                        """
                        CREATE TABLE IF NOT EXISTS canopy_migrations (id TEXT PRIMARY KEY, seq BIGSERIAL,
                            applied_at BIGINT NOT NULL)
                        """,
                        logger: logger
                    )
                    let done = try await connection.query(
                        "SELECT 1 FROM canopy_migrations WHERE id = \(migration.id)",
                        logger: logger
                    )
                    for try await _ in done { return }
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    if migration.id == Schema.rollupsBuiltBy {
                        try await Self.rebuildRollups(days: nil, on: connection, logger)
                    }
                    let now = Int64(Date().timeIntervalSince1970 * 1000)
                    try await connection.query(
                        "INSERT INTO canopy_migrations (id, applied_at) VALUES (\(migration.id), \(now))",
                        logger: logger
                    )
                }
            }
        }
    }

    package func appliedMigrations() async throws -> [String] {
        try await run("read migrations") {
            var ids: [String] = []
            let rows = try await client.query("SELECT id FROM canopy_migrations ORDER BY seq", logger: logger)
            for try await id in rows.decode(String.self) { ids.append(id) }
            return ids
        }
    }

    // MARK: Settings

    package func setting(_ key: String) async throws -> String? {
        try await run("read setting") {
            let rows = try await client.query("SELECT value FROM settings WHERE key = \(key)", logger: logger)
            for try await value in rows.decode(String.self) { return value }
            return nil
        }
    }

    package func setSetting(_ key: String, to value: String?) async throws {
        try await run("write setting") {
            if let value {
                try await client.query(
                    """
                    INSERT INTO settings (key, value) VALUES (\(key), \(value))
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """,
                    logger: logger
                )
            } else {
                try await client.query("DELETE FROM settings WHERE key = \(key)", logger: logger)
            }
        }
    }

    // MARK: App tags

    package func appTags() async throws -> [String: Set<String>] {
        try await run("read tags") {
            var tags: [String: Set<String>] = [:]
            let rows = try await client.query("SELECT app, tag FROM app_tags", logger: logger)
            for try await (app, tag) in rows.decode((String, String).self) { tags[app, default: []].insert(tag) }
            return tags
        }
    }

    package func addTag(_ tag: String, to app: String) async throws -> Bool {
        try await run("add tag") {
            let rows = try await client.query(
                "INSERT INTO app_tags (app, tag) VALUES (\(app), \(tag)) ON CONFLICT DO NOTHING RETURNING 1",
                logger: logger
            )
            for try await _ in rows { return true }
            return false
        }
    }

    package func removeTag(_ tag: String, from app: String) async throws -> Bool {
        try await run("remove tag") {
            let rows = try await client.query(
                "DELETE FROM app_tags WHERE app = \(app) AND tag = \(tag) RETURNING 1",
                logger: logger
            )
            for try await _ in rows { return true }
            return false
        }
    }

    // MARK: Audit log

    package func appendAudit(_ e: AuditEntry) async throws -> Int64 {
        try await run("append audit") {
            let rows = try await client.query(
                """
                INSERT INTO audit_log (time, actor, action, target, detail, source_ip)
                VALUES (\(e.time), \(e.actor), \(e.action), \(e.target), \(e.detail), \(e.sourceIP)) RETURNING id
                """,
                logger: logger
            )
            for try await id in rows.decode(Int64.self) { return id }
            throw StoreError("append audit", "no id returned")
        }
    }

    package func auditEntries(before: Int64?, limit: Int) async throws -> [StoredAuditEntry] {
        try await run("read audit") {
            let rows = try await client.query(
                """
                SELECT id, time, actor, action, target, detail, source_ip FROM audit_log
                WHERE id < \(before ?? Int64.max) ORDER BY id DESC LIMIT \(Int64(max(0, limit)))
                """,
                logger: logger
            )
            var out: [StoredAuditEntry] = []
            for try await (id, time, actor, action, target, detail, ip) in rows.decode(
                (Int64, Int64, String, String, String, String, String?).self
            ) {
                out.append(
                    StoredAuditEntry(
                        id: id,
                        entry: AuditEntry(
                            time: time,
                            actor: actor,
                            action: action,
                            target: target,
                            detail: detail,
                            sourceIP: ip
                        )
                    )
                )
            }
            return out
        }
    }

    // MARK: Admins

    package func adminCount() async throws -> Int {
        try await run("count admins") {
            let rows = try await client.query("SELECT COUNT(*) FROM admins", logger: logger)
            for try await count in rows.decode(Int64.self) { return Int(count) }
            return 0
        }
    }

    package func admin(named name: String) async throws -> AdminAccount? {
        try await run("read admin") {
            let rows = try await client.query(
                "SELECT name, password_hash, role, must_change_password, created_at FROM admins WHERE name = \(name)",
                logger: logger
            )
            for try await (name, hash, role, mustChange, created) in rows.decode(
                (String, String, String, Bool, Int64).self
            ) {
                return AdminAccount(
                    name: name,
                    passwordHash: hash,
                    role: role,
                    mustChangePassword: mustChange,
                    createdAt: created
                )
            }
            return nil
        }
    }

    package func createAdmin(_ a: AdminAccount) async throws -> Bool {
        try await run("create admin") {
            let rows = try await client.query(
                """
                INSERT INTO admins (name, password_hash, role, must_change_password, created_at)
                VALUES (\(a.name), \(a.passwordHash), \(a.role), \(a.mustChangePassword), \(a.createdAt))
                ON CONFLICT (name) DO NOTHING RETURNING 1
                """,
                logger: logger
            )
            for try await _ in rows { return true }
            return false
        }
    }

    // MARK: API tokens

    private typealias TokenRow = (Int64, String, String, String, String, Int64, Int64, Bool)

    private static func token(_ r: TokenRow) -> APIToken {
        APIToken(
            id: r.0,
            name: r.1,
            tokenHash: r.2,
            role: r.3,
            createdBy: r.4,
            createdAt: r.5,
            expiresAt: r.6,
            revoked: r.7
        )
    }

    package func createToken(_ t: APIToken) async throws -> Int64 {
        try await run("create token") {
            let rows = try await client.query(
                """
                INSERT INTO api_tokens (name, token_hash, role, created_by, created_at, expires_at, revoked)
                VALUES (\(t.name), \(t.tokenHash), \(t.role), \(t.createdBy), \(t.createdAt), \(t.expiresAt), \(t.revoked))
                RETURNING id
                """,
                logger: logger
            )
            for try await id in rows.decode(Int64.self) { return id }
            throw StoreError("create token", "no id returned")
        }
    }

    package func token(hash: String) async throws -> APIToken? {
        try await run("read token") {
            let rows = try await client.query(
                """
                SELECT id, name, token_hash, role, created_by, created_at, expires_at, revoked FROM api_tokens
                WHERE token_hash = \(hash)
                """,
                logger: logger
            )
            for try await row in rows.decode(TokenRow.self) { return Self.token(row) }
            return nil
        }
    }

    package func tokens() async throws -> [APIToken] {
        try await run("read tokens") {
            let rows = try await client.query(
                """
                SELECT id, name, token_hash, role, created_by, created_at, expires_at, revoked FROM api_tokens
                ORDER BY id DESC
                """,
                logger: logger
            )
            var out: [APIToken] = []
            for try await row in rows.decode(TokenRow.self) { out.append(Self.token(row)) }
            return out
        }
    }

    package func revokeToken(id: Int64) async throws -> Bool {
        try await run("revoke token") {
            let rows = try await client.query(
                "UPDATE api_tokens SET revoked = TRUE WHERE id = \(id) AND NOT revoked RETURNING 1",
                logger: logger
            )
            for try await _ in rows { return true }
            return false
        }
    }

    // MARK: Cloud Discovery

    /// Rows a statement of ``addDiscovery(_:)`` carries.
    static let discoveryChunk = 10_000

    package func addDiscovery(_ rows: [DiscoveryRow]) async throws {
        guard !rows.isEmpty else { return }
        try await run("add discovery") {
            // One round trip a chunk: the rows travel as arrays and are unnested server-side. Rows with the same key
            // are summed first, since one INSERT … ON CONFLICT cannot touch a row twice.
            var merged: [DiscoveryKey: DiscoveryRow] = [:]
            for r in rows {
                let key = DiscoveryKey(
                    day: r.day,
                    app: r.app,
                    dataSource: r.dataSource,
                    user: r.user,
                    sourceIP: r.sourceIP
                )
                if var m = merged[key] {
                    m.bytesUp &+= r.bytesUp
                    m.bytesDown &+= r.bytesDown
                    m.bytesTotal &+= r.bytesTotal
                    m.transactions &+= r.transactions
                    m.blocked &+= r.blocked
                    m.firstSeen = min(m.firstSeen, r.firstSeen)
                    m.lastSeen = max(m.lastSeen, r.lastSeen)
                    merged[key] = m
                } else {
                    merged[key] = r
                }
            }
            let all = Array(merged.values)
            try await client.withTransaction(logger: logger) { connection in
                // Statements of `discoveryChunk` rows (bind arrays stay small); one transaction for all of them.
                for start in stride(from: 0, to: all.count, by: Self.discoveryChunk) {
                    let batch = all[start..<min(all.count, start + Self.discoveryChunk)]
                    try await connection.query(
                        """
                        INSERT INTO discovery_traffic (day, app, data_source, user_name, source_ip, bytes_up, bytes_down,
                            bytes_total, transactions, blocked, first_seen, last_seen)
                        SELECT * FROM UNNEST(\(batch.map(\.day))::integer[], \(batch.map(\.app))::text[],
                            \(batch.map(\.dataSource))::bigint[],
                            \(batch.map(\.user))::text[], \(batch.map(\.sourceIP))::text[],
                            \(batch.map(\.bytesUp))::bigint[],
                            \(batch.map(\.bytesDown))::bigint[], \(batch.map(\.bytesTotal))::bigint[],
                            \(batch.map(\.transactions))::bigint[], \(batch.map(\.blocked))::bigint[],
                            \(batch.map(\.firstSeen))::bigint[], \(batch.map(\.lastSeen))::bigint[])
                        ON CONFLICT (day, app, data_source, user_name, source_ip) DO UPDATE SET
                            bytes_up = discovery_traffic.bytes_up + excluded.bytes_up,
                            bytes_down = discovery_traffic.bytes_down + excluded.bytes_down,
                            bytes_total = discovery_traffic.bytes_total + excluded.bytes_total,
                            transactions = discovery_traffic.transactions + excluded.transactions,
                            blocked = discovery_traffic.blocked + excluded.blocked,
                            first_seen = LEAST(discovery_traffic.first_seen, excluded.first_seen),
                            last_seen = GREATEST(discovery_traffic.last_seen, excluded.last_seen)
                        """,
                        logger: logger
                    )
                }
                try await Self.merge(DiscoveryRollups(all), on: connection, logger)
            }
        }
    }

    package func deleteDiscovery(before day: Int32?) async throws -> Int {
        try await run("delete discovery") {
            try await client.withTransaction(logger: logger) { connection in
                try await Self.lockRollups(connection, logger)
                let bound = day ?? .max
                let rows = try await connection.query(
                    "WITH d AS (DELETE FROM discovery_traffic WHERE day < \(bound) RETURNING 1) SELECT COUNT(*) FROM d",
                    logger: logger
                )
                var deleted = 0
                for try await count in rows.decode(Int64.self) { deleted = Int(count) }
                for table in Self.rollupTables {
                    try await connection.query("DELETE FROM \(unescaped: table) WHERE day < \(bound)", logger: logger)
                }
                try await Self.unbuildWeeks(before: day, on: connection, logger)
                return deleted
            }
        }
    }

    // MARK: Data sources (continuous discovery)

    package func createDataSource(_ s: DataSource) async throws -> Int64? {
        try await run("create data source") {
            // The port travels as a bigint and is cast to the integer column (an out-of-range port is an error).
            let rows = try await client.query(
                """
                INSERT INTO data_sources (name, format, transport, port, path, created_by, created_at)
                VALUES (\(s.name), \(s.format), \(s.transport.rawValue), \(s.port), \(s.path), \(s.createdBy),
                    \(s.createdAt))
                ON CONFLICT (name) DO NOTHING RETURNING id
                """,
                logger: logger
            )
            for try await id in rows.decode(Int64.self) { return id }
            return nil
        }
    }

    package func dataSources() async throws -> [DataSource] {
        try await run("read data sources") {
            let rows = try await client.query(
                """
                SELECT id, name, format, transport, port, path, created_by, created_at FROM data_sources
                ORDER BY id
                """,
                logger: logger
            )
            var out: [DataSource] = []
            for try await (id, name, format, transport, port, path, createdBy, createdAt) in rows.decode(
                (Int64, String, String, String, Int?, String?, String, Int64).self
            ) {
                guard let known = DataSource.Transport(rawValue: transport) else {
                    throw StoreError("read data sources", "unknown transport")
                }
                out.append(
                    DataSource(
                        id: id,
                        name: name,
                        format: format,
                        transport: known,
                        port: port,
                        path: path,
                        createdBy: createdBy,
                        createdAt: createdAt
                    )
                )
            }
            return out
        }
    }

    package func deleteDataSource(id: Int64) async throws -> Bool {
        try await run("delete data source") {
            try await client.withTransaction(logger: logger) { connection in
                // The source row first: that waits for an `addIntake` holding it, so the reasons deleted next
                // include any it added (and a later `addIntake` finds no source and adds none).
                let deleted = try await connection.query(
                    "DELETE FROM data_sources WHERE id = \(id) RETURNING 1",
                    logger: logger
                )
                var found = false
                for try await _ in deleted { found = true }
                try await connection.query("DELETE FROM data_source_reasons WHERE source_id = \(id)", logger: logger)
                return found
            }
        }
    }

    package func addIntake(_ d: DataSourceIntake, to id: Int64) async throws {
        try await run("add intake") {
            // One transaction: the counters and every reason count, or nothing (an unknown id changes nothing).
            try await client.withTransaction(logger: logger) { connection in
                // GREATEST ignores nulls, so the stored and the new last received time are both kept if known.
                let updated = try await connection.query(
                    """
                    UPDATE data_sources SET lines = lines + \(d.lines), records = records + \(d.records),
                        ignored = ignored + \(d.ignored), rejected = rejected + \(d.rejected),
                        bytes = bytes + \(d.bytes),
                        last_received_at = GREATEST(last_received_at, \(d.lastReceivedAt)::bigint)
                    WHERE id = \(id) RETURNING 1
                    """,
                    logger: logger
                )
                var found = false
                for try await _ in updated { found = true }
                guard found, !d.reasons.isEmpty else { return }
                // One round trip: the reasons travel as arrays (their keys are distinct, being a dictionary's).
                let reasons = Array(d.reasons.keys)
                let counts = reasons.map { d.reasons[$0] ?? 0 }
                try await connection.query(
                    """
                    INSERT INTO data_source_reasons (source_id, reason, count)
                    SELECT \(id), * FROM UNNEST(\(reasons)::text[], \(counts)::bigint[])
                    ON CONFLICT (source_id, reason) DO UPDATE SET
                        count = data_source_reasons.count + excluded.count
                    """,
                    logger: logger
                )
            }
        }
    }

    package func intakes() async throws -> [Int64: DataSourceIntake] {
        try await run("read intakes") {
            // One statement, so counters and reasons come from the same snapshot.
            let rows = try await client.query(
                """
                SELECT s.id, s.lines, s.records, s.ignored, s.rejected, s.bytes, s.last_received_at,
                    r.reason, r.count
                FROM data_sources s LEFT JOIN data_source_reasons r ON r.source_id = s.id
                """,
                logger: logger
            )
            var out: [Int64: DataSourceIntake] = [:]
            for try await (id, lines, records, ignored, rejected, bytes, last, reason, count) in rows.decode(
                (Int64, Int64, Int64, Int64, Int64, Int64, Int64?, String?, Int64?).self
            ) {
                var intake =
                    out[id]
                    ?? DataSourceIntake(
                        lines: lines,
                        records: records,
                        ignored: ignored,
                        rejected: rejected,
                        bytes: bytes,
                        lastReceivedAt: last
                    )
                if let reason, let count { intake.reasons[reason] = count }
                out[id] = intake
            }
            return out
        }
    }

    // MARK: System alerts

    package func raiseAlert(_ a: SystemAlert) async throws -> Int64? {
        try await run("raise alert") {
            // Null keys never conflict (UNIQUE treats nulls as distinct).
            let rows = try await client.query(
                """
                INSERT INTO alerts (time, kind, severity, title, description, entity, dedup_key, status)
                VALUES (\(a.time), \(a.kind), \(a.severity), \(a.title), \(a.detail), \(a.entity), \(a.dedupKey),
                    \(a.status))
                ON CONFLICT (dedup_key) DO NOTHING RETURNING id
                """,
                logger: logger
            )
            for try await id in rows.decode(Int64.self) { return id }
            return nil
        }
    }

    package func alerts(before: Int64?, limit: Int) async throws -> [StoredSystemAlert] {
        try await run("read alerts") {
            let rows = try await client.query(
                """
                SELECT id, time, kind, severity, title, description, entity, dedup_key, status FROM alerts
                WHERE id < \(before ?? Int64.max) ORDER BY id DESC LIMIT \(Int64(max(0, limit)))
                """,
                logger: logger
            )
            var out: [StoredSystemAlert] = []
            for try await (id, time, kind, severity, title, detail, entity, dedupKey, status) in rows.decode(
                (Int64, Int64, String, String, String, String, String, String?, String).self
            ) {
                out.append(
                    StoredSystemAlert(
                        id: id,
                        alert: SystemAlert(
                            time: time,
                            kind: kind,
                            severity: severity,
                            title: title,
                            detail: detail,
                            entity: entity,
                            dedupKey: dedupKey,
                            status: status
                        )
                    )
                )
            }
            return out
        }
    }

    private struct DiscoveryKey: Hashable {
        var day: Int32
        var app: String
        var dataSource: Int64
        var user: String
        var sourceIP: String
    }

    /// Runs `body`, naming the operation in errors (PostgreSQL's own message, never the bound values).
    @discardableResult
    func run<T: Sendable>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        try await StoreError.naming(operation, describe: Self.describe, body)
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError { return error.serverInfo?[.message] ?? "\(error.code)" }
        return "\(type(of: error))"
    }
}

extension PostgresStore {
    /// A connection for administrative statements outside any Canopy schema (creating or dropping a database):
    /// for setup tools and tests.
    package final class Admin: Sendable {
        private let client: PostgresClient
        private let runner: Task<Void, Never>

        package init(configuration: PostgresClient.Configuration) {
            client = PostgresClient(configuration: configuration)
            runner = Task { [client] in await client.run() }
        }

        /// Runs one statement given as trusted SQL text (never built from user input).
        package func execute(_ sql: String) async throws {
            try await StoreError.naming("admin statement", describe: PostgresStore.describe) {
                try await client.query(PostgresQuery(unsafeSQL: sql))
            }
        }

        package func shutdown() async {
            runner.cancel()
            _ = await runner.value
        }
    }
}
