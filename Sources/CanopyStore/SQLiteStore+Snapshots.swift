import Foundation
import GRDB

extension SQLiteStore {
    // MARK: Snapshots

    private static let snapshotColumns =
        "id, name, created_at, created_by, status, format, files, input_bytes, error, finished_at, summary"

    private static func snapshotSummary(_ row: Row) -> SnapshotSummary {
        SnapshotSummary(
            id: row["id"],
            name: row["name"],
            createdAt: row["created_at"],
            createdBy: row["created_by"],
            // The table's CHECK keeps the status one of the three.
            status: SnapshotStatus(rawValue: row["status"]) ?? .failed,
            format: row["format"],
            files: row["files"],
            inputBytes: row["input_bytes"],
            error: row["error"],
            finishedAt: row["finished_at"],
            digest: row["summary"]
        )
    }

    package func createSnapshot(_ s: SnapshotSummary) async throws -> Int64 {
        try await run("create snapshot") { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO snapshots (name, created_at, created_by, status, format, files, input_bytes, \
                        error, finished_at, summary)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        s.name, s.createdAt, s.createdBy, s.status.rawValue, s.format, s.files, s.inputBytes, s.error,
                        s.finishedAt, s.digest,
                    ]
                )
                return db.lastInsertedRowID
            }
        }
    }

    package func finishSnapshot(id: Int64, _ c: SnapshotCompletion) async throws -> Bool {
        try await run("finish snapshot") { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: """
                        UPDATE snapshots SET status = ?, format = ?, files = ?, input_bytes = ?, error = ?, \
                        finished_at = ?, summary = ?, report = ?
                        WHERE id = ? AND status = 'processing'
                        """,
                    arguments: [
                        c.status.rawValue, c.format, c.files, c.inputBytes, c.error, c.finishedAt, c.digest, c.report,
                        id,
                    ]
                )
                return db.changesCount > 0
            }
        }
    }

    package func snapshots(before: Int64?, limit: Int) async throws -> [SnapshotSummary] {
        try await run("read snapshots") { [pool] in
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT \(Self.snapshotColumns) FROM snapshots WHERE id < ? ORDER BY id DESC LIMIT ?",
                    arguments: [before ?? Int64.max, max(0, limit)]
                ).map(Self.snapshotSummary)
            }
        }
    }

    package func snapshot(id: Int64) async throws -> SnapshotRecord? {
        try await run("read snapshot") { [pool] in
            try await pool.read { db in
                try Row.fetchOne(
                    db,
                    sql: "SELECT \(Self.snapshotColumns), report FROM snapshots WHERE id = ?",
                    arguments: [id]
                ).map { row in
                    SnapshotRecord(summary: Self.snapshotSummary(row), report: row["report"])
                }
            }
        }
    }

    package func deleteSnapshot(id: Int64) async throws -> Bool {
        try await run("delete snapshot") { [pool] in
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM snapshots WHERE id = ?", arguments: [id])
                return db.changesCount > 0
            }
        }
    }
}
