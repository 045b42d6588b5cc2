extension Schema {
    /// Continuous reports per data source: the (day, app, user, IP) grain and every rollup gain a `data_source`
    /// column (0 for traffic of no data source, such as demo data, and for everything stored before this migration).
    /// The key keeps the app right after the day, so one app's rows of a day range are still found by key (the app
    /// page), and the global report reads a day range of every source.
    static let dataSourceReportsID = "v12-data-source-reports"

    static let sqliteDataSourceReports = Migration(
        id: dataSourceReportsID,
        statements: sqliteRebuild(
            "discovery_traffic",
            keyColumns: "app TEXT NOT NULL, data_source INTEGER NOT NULL, user_name TEXT NOT NULL, "
                + "source_ip TEXT NOT NULL",
            copiedKeys: ("app, data_source, user_name, source_ip", "app, 0, user_name, source_ip"),
            sketches: [],
            primaryKey: "day, app, data_source, user_name, source_ip"
        )
            + sqliteRebuild(
                "discovery_app_day",
                keyColumns: "app TEXT NOT NULL, data_source INTEGER NOT NULL",
                copiedKeys: ("app, data_source", "app, 0"),
                sketches: ["users", "ips"],
                primaryKey: "day, app, data_source"
            )
            + sqliteRebuild(
                "discovery_user_day",
                keyColumns: "user_name TEXT NOT NULL, data_source INTEGER NOT NULL",
                copiedKeys: ("user_name, data_source", "user_name, 0"),
                sketches: ["apps"],
                primaryKey: "day, user_name, data_source"
            )
            + sqliteRebuild(
                "discovery_ip_day",
                keyColumns: "source_ip TEXT NOT NULL, data_source INTEGER NOT NULL",
                copiedKeys: ("source_ip, data_source", "source_ip, 0"),
                sketches: ["apps"],
                primaryKey: "day, source_ip, data_source"
            )
            + sqliteRebuild(
                "discovery_day",
                keyColumns: "data_source INTEGER NOT NULL",
                copiedKeys: ("data_source", "0"),
                sketches: ["users", "ips"],
                primaryKey: "day, data_source"
            )
    )

    static let postgresDataSourceReports = Migration(
        id: dataSourceReportsID,
        statements: [
            ("discovery_traffic", "day, app, data_source, user_name, source_ip"),
            ("discovery_app_day", "day, app, data_source"),
            ("discovery_user_day", "day, user_name, data_source"),
            ("discovery_ip_day", "day, source_ip, data_source"),
            ("discovery_day", "day, data_source"),
        ].flatMap { table, key in
            [
                "ALTER TABLE \(table) ADD COLUMN data_source BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE \(table) DROP CONSTRAINT \(table)_pkey",
                "ALTER TABLE \(table) ADD PRIMARY KEY (\(key))",
            ]
        }
    )

    /// SQLite cannot change a primary key in place: a new table with the new key, the rows copied, the old one
    /// dropped and the new one renamed.
    private static func sqliteRebuild(
        _ table: String,
        keyColumns: String,
        copiedKeys: (into: String, from: String),
        sketches: [String],
        primaryKey: String
    ) -> [String] {
        let sums = "bytes_up, bytes_down, bytes_total, transactions, blocked, first_seen, last_seen"
        let sketchColumns = sketches.map { ", \($0) BLOB NOT NULL" }.joined()
        let copied = sums + sketches.map { ", \($0)" }.joined()
        return [
            """
            CREATE TABLE \(table)_v12 (day INTEGER NOT NULL, \(keyColumns), bytes_up INTEGER NOT NULL, \
            bytes_down INTEGER NOT NULL, bytes_total INTEGER NOT NULL, transactions INTEGER NOT NULL, \
            blocked INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL\(sketchColumns), \
            PRIMARY KEY (\(primaryKey))) WITHOUT ROWID
            """,
            """
            INSERT INTO \(table)_v12 (day, \(copiedKeys.into), \(copied)) \
            SELECT day, \(copiedKeys.from), \(copied) FROM \(table)
            """,
            "DROP TABLE \(table)",
            "ALTER TABLE \(table)_v12 RENAME TO \(table)",
        ]
    }
}
