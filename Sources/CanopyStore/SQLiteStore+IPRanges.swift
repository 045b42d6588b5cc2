import GRDB

extension SQLiteStore {
    package func ipRanges() async throws -> [IPRangeRecord] {
        try await run("read IP ranges") { [pool] in
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, name, category, blocks, tags, created_by, created_at, updated_by, updated_at
                        FROM ip_ranges ORDER BY name, id
                        """
                ).map { row in
                    IPRangeRecord(
                        id: row["id"],
                        name: row["name"],
                        category: row["category"],
                        blocks: IPRangeText.list(row["blocks"]),
                        tags: IPRangeText.list(row["tags"]),
                        createdBy: row["created_by"],
                        createdAt: row["created_at"],
                        updatedBy: row["updated_by"],
                        updatedAt: row["updated_at"]
                    )
                }
            }
        }
    }

    package func createIPRange(_ r: IPRangeRecord) async throws -> IPRangeWrite {
        try await run("create IP range") { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO ip_ranges (name, category, blocks, tags, created_by, created_at, updated_by,
                            updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING
                        """,
                    arguments: [
                        r.name, r.category, IPRangeText.text(r.blocks), IPRangeText.text(r.tags), r.createdBy,
                        r.createdAt, r.updatedBy, r.updatedAt,
                    ]
                )
                return db.changesCount > 0 ? .written(db.lastInsertedRowID) : .nameTaken
            }
        }
    }

    package func updateIPRange(_ r: IPRangeRecord) async throws -> IPRangeWrite {
        try await run("update IP range") { [pool] in
            try await pool.write { db in
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM ip_ranges WHERE id = ?", arguments: [r.id]) != nil
                else { return .notFound }
                let taken = try Bool.fetchOne(
                    db,
                    sql: "SELECT 1 FROM ip_ranges WHERE name = ? AND id <> ?",
                    arguments: [r.name, r.id]
                )
                guard taken == nil else { return .nameTaken }
                try db.execute(
                    sql: """
                        UPDATE ip_ranges SET name = ?, category = ?, blocks = ?, tags = ?, updated_by = ?,
                            updated_at = ?
                        WHERE id = ?
                        """,
                    arguments: [
                        r.name, r.category, IPRangeText.text(r.blocks), IPRangeText.text(r.tags), r.updatedBy,
                        r.updatedAt, r.id,
                    ]
                )
                return .written(r.id)
            }
        }
    }

    package func deleteIPRange(id: Int64) async throws -> Bool {
        try await run("delete IP range") { [pool] in
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM ip_ranges WHERE id = ?", arguments: [id])
                return db.changesCount > 0
            }
        }
    }
}

/// Blocks and tags as stored: newline-separated (the server refuses newlines in either).
enum IPRangeText {
    static func text(_ list: [String]) -> String { list.joined(separator: "\n") }
    static func list(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }
}
