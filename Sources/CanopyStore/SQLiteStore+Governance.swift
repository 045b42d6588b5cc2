import GRDB

extension SQLiteStore {
    package func appendGovernance(_ e: GovernanceEntry) async throws -> Int64 {
        try await run("append governance") { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO governance_log (time, kind, action, target, detail, status, initiated_by, error)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        e.time, e.kind, e.action, e.target, e.detail, e.status.rawValue, e.initiatedBy, e.error,
                    ]
                )
                return db.lastInsertedRowID
            }
        }
    }

    package func setGovernanceStatus(id: Int64, _ status: GovernanceEntry.Status, error: String?) async throws -> Bool {
        try await run("update governance") { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: "UPDATE governance_log SET status = ?, error = ? WHERE id = ?",
                    arguments: [status.rawValue, error, id]
                )
                return db.changesCount > 0
            }
        }
    }

    package func governanceEntries(
        _ filter: GovernanceFilter,
        before: Int64?,
        limit: Int
    ) async throws -> [StoredGovernanceEntry] {
        try await run("read governance") { [pool] in
            try await pool.read { db in
                let f = filter
                return try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, time, kind, action, target, detail, status, initiated_by, error FROM governance_log
                        WHERE id < ? AND time >= ? AND time < ?
                            AND (? IS NULL OR kind = ?) AND (? IS NULL OR action = ?)
                            AND (? IS NULL OR status = ?) AND (? IS NULL OR target = ?)
                        ORDER BY id DESC LIMIT ?
                        """,
                    arguments: [
                        before ?? Int64.max, f.from ?? Int64.min, f.to ?? Int64.max, f.kind, f.kind, f.action,
                        f.action, f.status?.rawValue, f.status?.rawValue, f.target, f.target, max(0, limit),
                    ]
                ).map { row in
                    StoredGovernanceEntry(
                        id: row["id"],
                        entry: GovernanceEntry(
                            time: row["time"],
                            kind: row["kind"],
                            action: row["action"],
                            target: row["target"],
                            detail: row["detail"],
                            status: GovernanceEntry.Status(rawValue: row["status"]) ?? .failed,
                            initiatedBy: row["initiated_by"],
                            error: row["error"]
                        )
                    )
                }
            }
        }
    }

    package func deleteGovernance(before time: Int64) async throws -> Int {
        try await run("delete governance") { [pool] in
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM governance_log WHERE time < ?", arguments: [time])
                return db.changesCount
            }
        }
    }
}
