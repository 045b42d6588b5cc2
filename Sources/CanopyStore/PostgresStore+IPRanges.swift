import PostgresNIO

extension PostgresStore {
    package func ipRanges() async throws -> [IPRangeRecord] {
        try await run("read IP ranges") {
            let rows = try await client.query(
                """
                SELECT id, name, category, blocks, tags, created_by, created_at, updated_by, updated_at
                FROM ip_ranges ORDER BY name, id
                """,
                logger: logger
            )
            var out: [IPRangeRecord] = []
            for try await (id, name, category, blocks, tags, createdBy, createdAt, updatedBy, updatedAt) in rows.decode(
                (Int64, String, String, String, String, String, Int64, String, Int64).self
            ) {
                out.append(
                    IPRangeRecord(
                        id: id,
                        name: name,
                        category: category,
                        blocks: IPRangeText.list(blocks),
                        tags: IPRangeText.list(tags),
                        createdBy: createdBy,
                        createdAt: createdAt,
                        updatedBy: updatedBy,
                        updatedAt: updatedAt
                    )
                )
            }
            return out
        }
    }

    package func createIPRange(_ r: IPRangeRecord) async throws -> IPRangeWrite {
        try await run("create IP range") {
            let rows = try await client.query(
                """
                INSERT INTO ip_ranges (name, category, blocks, tags, created_by, created_at, updated_by, updated_at)
                VALUES (\(r.name), \(r.category), \(IPRangeText.text(r.blocks)), \(IPRangeText.text(r.tags)),
                    \(r.createdBy), \(r.createdAt), \(r.updatedBy), \(r.updatedAt))
                ON CONFLICT (name) DO NOTHING RETURNING id
                """,
                logger: logger
            )
            for try await id in rows.decode(Int64.self) { return .written(id) }
            return .nameTaken
        }
    }

    package func updateIPRange(_ r: IPRangeRecord) async throws -> IPRangeWrite {
        try await run("update IP range") {
            try await client.withTransaction(logger: logger) { connection in
                // The row first, locked: a concurrent rename of another range then meets the unique index.
                let found = try await connection.query(
                    "SELECT 1 FROM ip_ranges WHERE id = \(r.id) FOR UPDATE",
                    logger: logger
                )
                var exists = false
                for try await _ in found { exists = true }
                guard exists else { return .notFound }
                let taken = try await connection.query(
                    "SELECT 1 FROM ip_ranges WHERE name = \(r.name) AND id <> \(r.id)",
                    logger: logger
                )
                for try await _ in taken { return .nameTaken }
                try await connection.query(
                    """
                    UPDATE ip_ranges SET name = \(r.name), category = \(r.category),
                        blocks = \(IPRangeText.text(r.blocks)), tags = \(IPRangeText.text(r.tags)),
                        updated_by = \(r.updatedBy), updated_at = \(r.updatedAt)
                    WHERE id = \(r.id)
                    """,
                    logger: logger
                )
                return .written(r.id)
            }
        }
    }

    package func deleteIPRange(id: Int64) async throws -> Bool {
        try await run("delete IP range") {
            let rows = try await client.query("DELETE FROM ip_ranges WHERE id = \(id) RETURNING 1", logger: logger)
            for try await _ in rows { return true }
            return false
        }
    }
}
