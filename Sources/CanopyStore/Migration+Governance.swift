extension Schema {
    /// The governance log (``GovernanceEntry``), with an index on time for retention and time ranges.
    static let sqliteGovernance = Migration(
        id: "v10-governance-log",
        statements: [
            """
            CREATE TABLE governance_log (id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, \
            kind TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL, \
            status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')), initiated_by TEXT NOT NULL, \
            error TEXT)
            """,
            "CREATE INDEX governance_log_time ON governance_log (time)",
        ]
    )

    static let postgresGovernance = Migration(
        id: "v10-governance-log",
        statements: [
            """
            CREATE TABLE governance_log (id BIGSERIAL PRIMARY KEY, time BIGINT NOT NULL, kind TEXT NOT NULL, \
            action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL, \
            status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')), initiated_by TEXT NOT NULL, \
            error TEXT)
            """,
            "CREATE INDEX governance_log_time ON governance_log (time)",
        ]
    )
}
