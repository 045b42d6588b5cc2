extension Schema {
    /// Custom apps (``CustomAppRecord``): domains and IP ranges as newline-separated text (neither may hold a
    /// newline).
    static let sqliteCustomApps = Migration(
        id: "v9-custom-apps",
        statements: [
            """
            CREATE TABLE custom_apps (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, vendor TEXT, \
            category TEXT NOT NULL, domains TEXT NOT NULL, ip_ranges TEXT NOT NULL, score REAL, note TEXT NOT NULL, \
            created_by TEXT NOT NULL, created_at INTEGER NOT NULL, updated_by TEXT NOT NULL, \
            updated_at INTEGER NOT NULL) WITHOUT ROWID
            """
        ]
    )

    static let postgresCustomApps = Migration(
        id: "v9-custom-apps",
        statements: [
            """
            CREATE TABLE custom_apps (id TEXT PRIMARY KEY, name TEXT NOT NULL, vendor TEXT, category TEXT NOT NULL, \
            domains TEXT NOT NULL, ip_ranges TEXT NOT NULL, score DOUBLE PRECISION, note TEXT NOT NULL, \
            created_by TEXT NOT NULL, created_at BIGINT NOT NULL, updated_by TEXT NOT NULL, updated_at BIGINT NOT NULL)
            """
        ]
    )
}
