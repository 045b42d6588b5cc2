extension Schema {
    /// IP address ranges (``IPRangeRecord``): blocks and tags as newline-separated text (neither may hold a newline).
    static let sqliteIPRanges = Migration(
        id: "v8-ip-ranges",
        statements: [
            """
            CREATE TABLE ip_ranges (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, \
            category TEXT NOT NULL, blocks TEXT NOT NULL, tags TEXT NOT NULL, created_by TEXT NOT NULL, \
            created_at INTEGER NOT NULL, updated_by TEXT NOT NULL, updated_at INTEGER NOT NULL)
            """
        ]
    )

    static let postgresIPRanges = Migration(
        id: "v8-ip-ranges",
        statements: [
            """
            CREATE TABLE ip_ranges (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, category TEXT NOT NULL, \
            blocks TEXT NOT NULL, tags TEXT NOT NULL, created_by TEXT NOT NULL, created_at BIGINT NOT NULL, \
            updated_by TEXT NOT NULL, updated_at BIGINT NOT NULL)
            """
        ]
    )
}
