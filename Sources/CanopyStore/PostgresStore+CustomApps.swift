import PostgresNIO

extension PostgresStore {
    package func customApps() async throws -> [CustomAppRecord] {
        try await run("read custom apps") {
            let rows = try await client.query(
                """
                SELECT id, name, vendor, category, domains, ip_ranges, score, note, created_by, created_at,
                    updated_by, updated_at
                FROM custom_apps ORDER BY id
                """,
                logger: logger
            )
            var out: [CustomAppRecord] = []
            for try await (
                id, name, vendor, category, domains, ranges, score, note, createdBy, createdAt, updatedBy,
                updatedAt
            ) in rows.decode(
                (String, String, String?, String, String, String, Double?, String, String, Int64, String, Int64).self
            ) {
                out.append(
                    CustomAppRecord(
                        id: id,
                        name: name,
                        vendor: vendor,
                        category: category,
                        domains: IPRangeText.list(domains),
                        ipRanges: IPRangeText.list(ranges),
                        score: score,
                        note: note,
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

    package func createCustomApp(_ a: CustomAppRecord) async throws -> Bool {
        try await run("create custom app") {
            let rows = try await client.query(
                """
                INSERT INTO custom_apps (id, name, vendor, category, domains, ip_ranges, score, note, created_by,
                    created_at, updated_by, updated_at)
                VALUES (\(a.id), \(a.name), \(a.vendor), \(a.category), \(IPRangeText.text(a.domains)),
                    \(IPRangeText.text(a.ipRanges)), \(a.score), \(a.note), \(a.createdBy), \(a.createdAt),
                    \(a.updatedBy), \(a.updatedAt))
                ON CONFLICT (id) DO NOTHING RETURNING 1
                """,
                logger: logger
            )
            for try await _ in rows { return true }
            return false
        }
    }

    package func updateCustomApp(_ a: CustomAppRecord) async throws -> Bool {
        try await run("update custom app") {
            let rows = try await client.query(
                """
                UPDATE custom_apps SET name = \(a.name), vendor = \(a.vendor), category = \(a.category),
                    domains = \(IPRangeText.text(a.domains)), ip_ranges = \(IPRangeText.text(a.ipRanges)),
                    score = \(a.score), note = \(a.note), updated_by = \(a.updatedBy), updated_at = \(a.updatedAt)
                WHERE id = \(a.id) RETURNING 1
                """,
                logger: logger
            )
            for try await _ in rows { return true }
            return false
        }
    }

    package func deleteCustomApp(id: String) async throws -> Bool {
        try await run("delete custom app") {
            let rows = try await client.query("DELETE FROM custom_apps WHERE id = \(id) RETURNING 1", logger: logger)
            for try await _ in rows { return true }
            return false
        }
    }
}
