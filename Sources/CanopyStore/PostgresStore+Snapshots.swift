import Foundation
import PostgresNIO

extension PostgresStore {
    // MARK: Snapshots

    private typealias SnapshotRow = (
        Int64, String, Int64, String, String, String?, Int32, Int64, String?, Int64?, Data?
    )

    private static func snapshotSummary(_ r: SnapshotRow) -> SnapshotSummary {
        SnapshotSummary(
            id: r.0,
            name: r.1,
            createdAt: r.2,
            createdBy: r.3,
            // The table's CHECK keeps the status one of the three.
            status: SnapshotStatus(rawValue: r.4) ?? .failed,
            format: r.5,
            files: Int(r.6),
            inputBytes: r.7,
            error: r.8,
            finishedAt: r.9,
            digest: r.10
        )
    }

    package func createSnapshot(_ s: SnapshotSummary) async throws -> Int64 {
        try await run("create snapshot") {
            let rows = try await client.query(
                """
                INSERT INTO snapshots (name, created_at, created_by, status, format, files, input_bytes, error, \
                finished_at, summary)
                VALUES (\(s.name), \(s.createdAt), \(s.createdBy), \(s.status.rawValue), \(s.format), \
                \(Int32(clamping: s.files)), \(s.inputBytes), \(s.error), \(s.finishedAt), \(s.digest))
                RETURNING id
                """,
                logger: logger
            )
            for try await id in rows.decode(Int64.self) { return id }
            throw StoreError("create snapshot", "no id returned")
        }
    }

    package func finishSnapshot(id: Int64, _ c: SnapshotCompletion) async throws -> Bool {
        try await run("finish snapshot") {
            let rows = try await client.query(
                """
                UPDATE snapshots SET status = \(c.status.rawValue), format = \(c.format), \
                files = \(Int32(clamping: c.files)), input_bytes = \(c.inputBytes), error = \(c.error), \
                finished_at = \(c.finishedAt), summary = \(c.digest), report = \(c.report)
                WHERE id = \(id) AND status = 'processing' RETURNING 1
                """,
                logger: logger
            )
            for try await _ in rows { return true }
            return false
        }
    }

    package func snapshots(before: Int64?, limit: Int) async throws -> [SnapshotSummary] {
        try await run("read snapshots") {
            let rows = try await client.query(
                """
                SELECT id, name, created_at, created_by, status, format, files, input_bytes, error, finished_at, \
                summary FROM snapshots WHERE id < \(before ?? Int64.max) ORDER BY id DESC LIMIT \(max(0, limit))
                """,
                logger: logger
            )
            var out: [SnapshotSummary] = []
            for try await row in rows.decode(SnapshotRow.self) { out.append(Self.snapshotSummary(row)) }
            return out
        }
    }

    package func snapshot(id: Int64) async throws -> SnapshotRecord? {
        try await run("read snapshot") {
            let rows = try await client.query(
                """
                SELECT id, name, created_at, created_by, status, format, files, input_bytes, error, finished_at, \
                summary, report FROM snapshots WHERE id = \(id)
                """,
                logger: logger
            )
            for try await r in rows.decode(
                (Int64, String, Int64, String, String, String?, Int32, Int64, String?, Int64?, Data?, Data?).self
            ) {
                let summary = Self.snapshotSummary((r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10))
                return SnapshotRecord(summary: summary, report: r.11)
            }
            return nil
        }
    }

    package func deleteSnapshot(id: Int64) async throws -> Bool {
        try await run("delete snapshot") {
            let rows = try await client.query("DELETE FROM snapshots WHERE id = \(id) RETURNING 1", logger: logger)
            for try await _ in rows { return true }
            return false
        }
    }
}
