import GRDB

/// The embedded default store: one SQLite database in WAL mode through a GRDB `DatabasePool` (concurrent readers,
/// one writer), migrated with GRDB's migrator from ``Schema/sqlite``.
package final class SQLiteStore: Store {
    let pool: DatabasePool

    /// Opens (creating it if needed) the database at `path`.
    package init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            db.add(function: SQLiteStore.sketchUnion)
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError("open \(path)", "\(error)")
        }
    }

    /// Applies each pending migration of ``Schema/sqlite`` in its own `BEGIN IMMEDIATE` transaction, which checks
    /// the bookkeeping table under SQLite's write lock: two processes opening one database together apply each
    /// migration once. (GRDB's migrator reads what is applied before it locks, so two processes raced on it.) The
    /// bookkeeping table is the one GRDB's migrator used, so existing databases carry on.
    package func migrate() async throws {
        try await run("migrate") { [pool] in
            try await pool.writeWithoutTransaction { db in
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                for migration in Schema.sqlite {
                    try db.inTransaction(.immediate) {
                        let applied = try Bool.fetchOne(
                            db,
                            sql: "SELECT 1 FROM grdb_migrations WHERE identifier = ?",
                            arguments: [migration.id]
                        )
                        guard applied == nil else { return .commit }
                        for statement in migration.statements { try db.execute(sql: statement) }
                        if migration.id == Schema.rollupsBuiltBy { try Self.rebuildRollups(db, days: nil) }
                        try db.execute(
                            sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)",
                            arguments: [migration.id]
                        )
                        return .commit
                    }
                }
            }
        }
    }

    package func appliedMigrations() async throws -> [String] {
        try await run("read migrations") { [pool] in
            try await pool.read { db in
                guard try db.tableExists("grdb_migrations") else { return [] }
                let applied = try Set(String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
                return Schema.sqlite.map(\.id).filter(applied.contains)
            }
        }
    }

    // MARK: Settings

    package func setting(_ key: String) async throws -> String? {
        try await run("read setting") { [pool] in
            try await pool.read {
                try String.fetchOne($0, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key])
            }
        }
    }

    package func setSetting(_ key: String, to value: String?) async throws {
        try await run("write setting") { [pool] in
            try await pool.write { db in
                if let value {
                    try db.execute(
                        sql: """
                            INSERT INTO settings (key, value) VALUES (?, ?)
                            ON CONFLICT (key) DO UPDATE SET value = excluded.value
                            """,
                        arguments: [key, value]
                    )
                } else {
                    try db.execute(sql: "DELETE FROM settings WHERE key = ?", arguments: [key])
                }
            }
        }
    }

    // MARK: App tags

    package func appTags() async throws -> [String: Set<String>] {
        try await run("read tags") { [pool] in
            try await pool.read { db in
                var tags: [String: Set<String>] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT app, tag FROM app_tags") {
                    tags[row["app"] as String, default: []].insert(row["tag"])
                }
                return tags
            }
        }
    }

    package func addTag(_ tag: String, to app: String) async throws -> Bool {
        try await run("add tag") { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO app_tags (app, tag) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    arguments: [app, tag]
                )
                return db.changesCount > 0
            }
        }
    }

    package func removeTag(_ tag: String, from app: String) async throws -> Bool {
        try await run("remove tag") { [pool] in
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM app_tags WHERE app = ? AND tag = ?", arguments: [app, tag])
                return db.changesCount > 0
            }
        }
    }

    // MARK: Audit log

    package func appendAudit(_ e: AuditEntry) async throws -> Int64 {
        try await run("append audit") { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO audit_log (time, actor, action, target, detail, source_ip)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [e.time, e.actor, e.action, e.target, e.detail, e.sourceIP]
                )
                return db.lastInsertedRowID
            }
        }
    }

    package func auditEntries(before: Int64?, limit: Int) async throws -> [StoredAuditEntry] {
        try await run("read audit") { [pool] in
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, time, actor, action, target, detail, source_ip FROM audit_log
                        WHERE id < ? ORDER BY id DESC LIMIT ?
                        """,
                    arguments: [before ?? Int64.max, max(0, limit)]
                ).map { row in
                    StoredAuditEntry(
                        id: row["id"],
                        entry: AuditEntry(
                            time: row["time"],
                            actor: row["actor"],
                            action: row["action"],
                            target: row["target"],
                            detail: row["detail"],
                            sourceIP: row["source_ip"]
                        )
                    )
                }
            }
        }
    }

    // MARK: Admins

    package func adminCount() async throws -> Int {
        try await run("count admins") {
            try await pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM admins") ?? 0 }
        }
    }

    package func admin(named name: String) async throws -> AdminAccount? {
        try await run("read admin") {
            try await pool.read { db in
                try Row.fetchOne(
                    db,
                    sql:
                        "SELECT name, password_hash, role, must_change_password, created_at FROM admins WHERE name = ?",
                    arguments: [name]
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

    package func createAdmin(_ a: AdminAccount) async throws -> Bool {
        try await run("create admin") {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO admins (name, password_hash, role, must_change_password, created_at)
                        VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING
                        """,
                    arguments: [a.name, a.passwordHash, a.role, a.mustChangePassword, a.createdAt]
                )
                return db.changesCount > 0
            }
        }
    }

    // MARK: API tokens

    private static let tokenColumns = "id, name, token_hash, role, created_by, created_at, expires_at, revoked"

    private static func token(_ row: Row) -> APIToken {
        APIToken(
            id: row["id"],
            name: row["name"],
            tokenHash: row["token_hash"],
            role: row["role"],
            createdBy: row["created_by"],
            createdAt: row["created_at"],
            expiresAt: row["expires_at"],
            revoked: row["revoked"]
        )
    }

    package func createToken(_ t: APIToken) async throws -> Int64 {
        try await run("create token") {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO api_tokens (name, token_hash, role, created_by, created_at, expires_at, revoked)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [t.name, t.tokenHash, t.role, t.createdBy, t.createdAt, t.expiresAt, t.revoked]
                )
                return db.lastInsertedRowID
            }
        }
    }

    package func token(hash: String) async throws -> APIToken? {
        try await run("read token") {
            try await pool.read { db in
                try Row.fetchOne(
                    db,
                    sql: "SELECT \(Self.tokenColumns) FROM api_tokens WHERE token_hash = ?",
                    arguments: [hash]
                ).map(Self.token)
            }
        }
    }

    package func tokens() async throws -> [APIToken] {
        try await run("read tokens") {
            try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT \(Self.tokenColumns) FROM api_tokens ORDER BY id DESC").map(
                    Self.token
                )
            }
        }
    }

    package func revokeToken(id: Int64) async throws -> Bool {
        try await run("revoke token") {
            try await pool.write { db in
                try db.execute(sql: "UPDATE api_tokens SET revoked = 1 WHERE id = ? AND revoked = 0", arguments: [id])
                return db.changesCount > 0
            }
        }
    }

    // MARK: Cloud Discovery

    package func addDiscovery(_ rows: [DiscoveryRow]) async throws {
        guard !rows.isEmpty else { return }
        try await run("add discovery") { [pool] in
            try await pool.write { db in
                let statement = try db.makeStatement(
                    sql: """
                        INSERT INTO discovery_traffic (day, app, data_source, user_name, source_ip, bytes_up,
                            bytes_down, bytes_total, transactions, blocked, first_seen, last_seen)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (day, app, data_source, user_name, source_ip) DO UPDATE SET
                            bytes_up = bytes_up + excluded.bytes_up,
                            bytes_down = bytes_down + excluded.bytes_down,
                            bytes_total = bytes_total + excluded.bytes_total,
                            transactions = transactions + excluded.transactions,
                            blocked = blocked + excluded.blocked,
                            first_seen = min(first_seen, excluded.first_seen),
                            last_seen = max(last_seen, excluded.last_seen)
                        """
                )
                for r in rows {
                    try statement.execute(arguments: [
                        r.day, r.app, r.dataSource, r.user, r.sourceIP, r.bytesUp, r.bytesDown, r.bytesTotal,
                        r.transactions,
                        r.blocked, r.firstSeen, r.lastSeen,
                    ])
                }
                try Self.merge(DiscoveryRollups(rows), into: db)
            }
        }
    }

    package func deleteDiscovery(before day: Int32?) async throws -> Int {
        try await run("delete discovery") { [pool] in
            try await pool.write { db in
                if let day {
                    try db.execute(sql: "DELETE FROM discovery_traffic WHERE day < ?", arguments: [day])
                } else {
                    try db.execute(sql: "DELETE FROM discovery_traffic")
                }
                let deleted = db.changesCount
                for table in Self.rollupTables {
                    try db.execute(sql: "DELETE FROM \(table) WHERE day < ?", arguments: [day ?? .max])
                }
                try Self.unbuildWeeks(before: day, db)
                return deleted
            }
        }
    }

    // MARK: Data sources (continuous discovery)

    package func createDataSource(_ s: DataSource) async throws -> Int64? {
        try await run("create data source") { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO data_sources (name, format, transport, port, path, created_by, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING
                        """,
                    arguments: [s.name, s.format, s.transport.rawValue, s.port, s.path, s.createdBy, s.createdAt]
                )
                return db.changesCount > 0 ? db.lastInsertedRowID : nil
            }
        }
    }

    package func dataSources() async throws -> [DataSource] {
        try await run("read data sources") { [pool] in
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, name, format, transport, port, path, created_by, created_at FROM data_sources
                        ORDER BY id
                        """
                ).map { row in
                    let transport: String = row["transport"]
                    guard let known = DataSource.Transport(rawValue: transport) else {
                        throw StoreError("read data sources", "unknown transport")
                    }
                    return DataSource(
                        id: row["id"],
                        name: row["name"],
                        format: row["format"],
                        transport: known,
                        port: row["port"],
                        path: row["path"],
                        createdBy: row["created_by"],
                        createdAt: row["created_at"]
                    )
                }
            }
        }
    }

    package func deleteDataSource(id: Int64) async throws -> Bool {
        try await run("delete data source") { [pool] in
            // One transaction: the source and its reason counts go together.
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM data_sources WHERE id = ?", arguments: [id])
                let found = db.changesCount > 0
                try db.execute(sql: "DELETE FROM data_source_reasons WHERE source_id = ?", arguments: [id])
                return found
            }
        }
    }

    package func addIntake(_ d: DataSourceIntake, to id: Int64) async throws {
        try await run("add intake") { [pool] in
            // One transaction: the counters and every reason count, or nothing (an unknown id changes nothing).
            try await pool.write { db in
                // SQLite's max() is null when any argument is; coalescing each side keeps the known one.
                try db.execute(
                    sql: """
                        UPDATE data_sources SET lines = lines + ?, records = records + ?, ignored = ignored + ?,
                            rejected = rejected + ?, bytes = bytes + ?,
                            last_received_at = max(coalesce(last_received_at, ?), coalesce(?, last_received_at))
                        WHERE id = ?
                        """,
                    arguments: [
                        d.lines, d.records, d.ignored, d.rejected, d.bytes, d.lastReceivedAt, d.lastReceivedAt, id,
                    ]
                )
                guard db.changesCount > 0, !d.reasons.isEmpty else { return }
                let statement = try db.makeStatement(
                    sql: """
                        INSERT INTO data_source_reasons (source_id, reason, count) VALUES (?, ?, ?)
                        ON CONFLICT (source_id, reason) DO UPDATE SET count = count + excluded.count
                        """
                )
                for (reason, count) in d.reasons {
                    try statement.execute(arguments: [id, reason, count])
                }
            }
        }
    }

    package func intakes() async throws -> [Int64: DataSourceIntake] {
        try await run("read intakes") { [pool] in
            // One statement, so counters and reasons come from the same snapshot.
            try await pool.read { db in
                var out: [Int64: DataSourceIntake] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT s.id, s.lines, s.records, s.ignored, s.rejected, s.bytes, s.last_received_at,
                            r.reason, r.count
                        FROM data_sources s LEFT JOIN data_source_reasons r ON r.source_id = s.id
                        """
                ) {
                    let id: Int64 = row["id"]
                    var intake =
                        out[id]
                        ?? DataSourceIntake(
                            lines: row["lines"],
                            records: row["records"],
                            ignored: row["ignored"],
                            rejected: row["rejected"],
                            bytes: row["bytes"],
                            lastReceivedAt: row["last_received_at"]
                        )
                    if let reason: String = row["reason"] { intake.reasons[reason] = row["count"] }
                    out[id] = intake
                }
                return out
            }
        }
    }

    // MARK: System alerts

    package func raiseAlert(_ a: SystemAlert) async throws -> Int64? {
        try await run("raise alert") { [pool] in
            try await pool.write { db in
                // Null keys never conflict (UNIQUE treats nulls as distinct).
                try db.execute(
                    sql: """
                        INSERT INTO alerts (time, kind, severity, title, description, entity, dedup_key, status)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING
                        """,
                    arguments: [a.time, a.kind, a.severity, a.title, a.detail, a.entity, a.dedupKey, a.status]
                )
                return db.changesCount > 0 ? db.lastInsertedRowID : nil
            }
        }
    }

    package func alerts(before: Int64?, limit: Int) async throws -> [StoredSystemAlert] {
        try await run("read alerts") { [pool] in
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, time, kind, severity, title, description, entity, dedup_key, status FROM alerts
                        WHERE id < ? ORDER BY id DESC LIMIT ?
                        """,
                    arguments: [before ?? Int64.max, max(0, limit)]
                ).map { row in
                    StoredSystemAlert(
                        id: row["id"],
                        alert: SystemAlert(
                            time: row["time"],
                            kind: row["kind"],
                            severity: row["severity"],
                            title: row["title"],
                            detail: row["description"],
                            entity: row["entity"],
                            dedupKey: row["dedup_key"],
                            status: row["status"]
                        )
                    )
                }
            }
        }
    }

    /// Runs `body`, naming the operation in errors.
    @discardableResult
    func run<T: Sendable>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        try await StoreError.naming(operation, describe: { "\($0)" }, body)
    }
}
