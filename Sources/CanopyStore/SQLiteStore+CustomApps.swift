import GRDB

extension SQLiteStore {
    package func customApps() async throws -> [CustomAppRecord] {
        try await run("read custom apps") { [pool] in
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, name, vendor, category, domains, ip_ranges, score, note, created_by, created_at,
                            updated_by, updated_at
                        FROM custom_apps ORDER BY id
                        """
                ).map { row in
                    CustomAppRecord(
                        id: row["id"],
                        name: row["name"],
                        vendor: row["vendor"],
                        category: row["category"],
                        domains: IPRangeText.list(row["domains"]),
                        ipRanges: IPRangeText.list(row["ip_ranges"]),
                        score: row["score"],
                        note: row["note"],
                        createdBy: row["created_by"],
                        createdAt: row["created_at"],
                        updatedBy: row["updated_by"],
                        updatedAt: row["updated_at"]
                    )
                }
            }
        }
    }

    package func createCustomApp(_ a: CustomAppRecord) async throws -> Bool {
        try await run("create custom app") { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO custom_apps (id, name, vendor, category, domains, ip_ranges, score, note,
                            created_by, created_at, updated_by, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                        """,
                    arguments: [
                        a.id, a.name, a.vendor, a.category, IPRangeText.text(a.domains), IPRangeText.text(a.ipRanges),
                        a.score, a.note, a.createdBy, a.createdAt, a.updatedBy, a.updatedAt,
                    ]
                )
                return db.changesCount > 0
            }
        }
    }

    package func updateCustomApp(_ a: CustomAppRecord) async throws -> Bool {
        try await run("update custom app") { [pool] in
            try await pool.write { db in
                try db.execute(
                    sql: """
                        UPDATE custom_apps SET name = ?, vendor = ?, category = ?, domains = ?, ip_ranges = ?,
                            score = ?, note = ?, updated_by = ?, updated_at = ?
                        WHERE id = ?
                        """,
                    arguments: [
                        a.name, a.vendor, a.category, IPRangeText.text(a.domains), IPRangeText.text(a.ipRanges),
                        a.score, a.note, a.updatedBy, a.updatedAt, a.id,
                    ]
                )
                return db.changesCount > 0
            }
        }
    }

    package func deleteCustomApp(id: String) async throws -> Bool {
        try await run("delete custom app") { [pool] in
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM custom_apps WHERE id = ?", arguments: [id])
                return db.changesCount > 0
            }
        }
    }
}
