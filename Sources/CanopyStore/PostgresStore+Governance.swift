import PostgresNIO

extension PostgresStore {
    package func appendGovernance(_ e: GovernanceEntry) async throws -> Int64 {
        try await run("append governance") {
            let rows = try await client.query(
                """
                INSERT INTO governance_log (time, kind, action, target, detail, status, initiated_by, error)
                VALUES (\(e.time), \(e.kind), \(e.action), \(e.target), \(e.detail), \(e.status.rawValue),
                    \(e.initiatedBy), \(e.error))
                RETURNING id
                """,
                logger: logger
            )
            for try await id in rows.decode(Int64.self) { return id }
            throw StoreError("append governance", "no id returned")
        }
    }

    package func setGovernanceStatus(id: Int64, _ status: GovernanceEntry.Status, error: String?) async throws -> Bool {
        try await run("update governance") {
            let rows = try await client.query(
                """
                UPDATE governance_log SET status = \(status.rawValue), error = \(error) WHERE id = \(id) RETURNING 1
                """,
                logger: logger
            )
            for try await _ in rows { return true }
            return false
        }
    }

    package func governanceEntries(
        _ f: GovernanceFilter,
        before: Int64?,
        limit: Int
    ) async throws -> [StoredGovernanceEntry] {
        try await run("read governance") {
            let status = f.status?.rawValue
            let rows = try await client.query(
                """
                SELECT id, time, kind, action, target, detail, status, initiated_by, error FROM governance_log
                WHERE id < \(before ?? Int64.max) AND time >= \(f.from ?? Int64.min) AND time < \(f.to ?? Int64.max)
                    AND (\(f.kind)::text IS NULL OR kind = \(f.kind))
                    AND (\(f.action)::text IS NULL OR action = \(f.action))
                    AND (\(status)::text IS NULL OR status = \(status))
                    AND (\(f.target)::text IS NULL OR target = \(f.target))
                ORDER BY id DESC LIMIT \(max(0, limit))
                """,
                logger: logger
            )
            var out: [StoredGovernanceEntry] = []
            for try await (id, time, kind, action, target, detail, status, initiatedBy, error) in rows.decode(
                (Int64, Int64, String, String, String, String, String, String, String?).self
            ) {
                out.append(
                    StoredGovernanceEntry(
                        id: id,
                        entry: GovernanceEntry(
                            time: time,
                            kind: kind,
                            action: action,
                            target: target,
                            detail: detail,
                            status: GovernanceEntry.Status(rawValue: status) ?? .failed,
                            initiatedBy: initiatedBy,
                            error: error
                        )
                    )
                )
            }
            return out
        }
    }

    package func deleteGovernance(before time: Int64) async throws -> Int {
        try await run("delete governance") {
            let rows = try await client.query(
                "WITH gone AS (DELETE FROM governance_log WHERE time < \(time) RETURNING 1) SELECT count(*) FROM gone",
                logger: logger
            )
            for try await n in rows.decode(Int64.self) { return Int(n) }
            return 0
        }
    }
}
