extension Schema {
    /// Weekly rollups: the daily rollups of a finished week added up once (``DiscoveryWeeks``), so a month's dashboard
    /// reads four or five rows a key instead of thirty. Each weekly table has its daily table's columns and key, its
    /// `day` being the week's first day (a Monday). `discovery_weeks` lists the weeks whose weekly rows are complete
    /// and current; any write, rebuild or deletion that touches a week takes the week out of it (and its weekly rows
    /// with it), so a read uses the weekly rows of listed weeks only and the daily rows for every other day.
    static let weeklyRollupsID = "v13-weekly-rollups"

    /// The migration after whose statements the rollups are rebuilt from the grain, in its transaction: the last one
    /// that reshapes the grain or the rollups, since the rebuild is today's code and writes today's tables. (v7 did
    /// it until v12 added `data_source`, v12 until v13 added the weekly tables, which the rebuild keeps consistent; a
    /// v6 database now gets empty rollup tables at v7 and their rows at v13, a v7–v12 one has them rebuilt at v13,
    /// with the same sums and sketches, and no week built.)
    static let rollupsBuiltBy = weeklyRollupsID

    static let sqliteWeeklyRollups = Migration(
        id: weeklyRollupsID,
        statements: [
            """
            CREATE TABLE discovery_app_week (day INTEGER NOT NULL, app TEXT NOT NULL, data_source INTEGER NOT NULL, \
            \(sqliteSums), users BLOB NOT NULL, ips BLOB NOT NULL, PRIMARY KEY (day, app, data_source)) WITHOUT ROWID
            """,
            """
            CREATE TABLE discovery_user_week (day INTEGER NOT NULL, user_name TEXT NOT NULL, \
            data_source INTEGER NOT NULL, \(sqliteSums), apps BLOB NOT NULL, \
            PRIMARY KEY (day, user_name, data_source)) WITHOUT ROWID
            """,
            """
            CREATE TABLE discovery_ip_week (day INTEGER NOT NULL, source_ip TEXT NOT NULL, \
            data_source INTEGER NOT NULL, \(sqliteSums), apps BLOB NOT NULL, \
            PRIMARY KEY (day, source_ip, data_source)) WITHOUT ROWID
            """,
            """
            CREATE TABLE discovery_week (day INTEGER NOT NULL, data_source INTEGER NOT NULL, \(sqliteSums), \
            users BLOB NOT NULL, ips BLOB NOT NULL, PRIMARY KEY (day, data_source)) WITHOUT ROWID
            """,
            "CREATE TABLE discovery_weeks (day INTEGER PRIMARY KEY NOT NULL, built_at INTEGER NOT NULL)",
        ]
    )

    static let postgresWeeklyRollups = Migration(
        id: weeklyRollupsID,
        statements: [
            """
            CREATE TABLE discovery_app_week (day INTEGER NOT NULL, app TEXT NOT NULL, data_source BIGINT NOT NULL, \
            \(postgresSums), users BYTEA NOT NULL, ips BYTEA NOT NULL, PRIMARY KEY (day, app, data_source))
            """,
            """
            CREATE TABLE discovery_user_week (day INTEGER NOT NULL, user_name TEXT NOT NULL, \
            data_source BIGINT NOT NULL, \(postgresSums), apps BYTEA NOT NULL, \
            PRIMARY KEY (day, user_name, data_source))
            """,
            """
            CREATE TABLE discovery_ip_week (day INTEGER NOT NULL, source_ip TEXT NOT NULL, \
            data_source BIGINT NOT NULL, \(postgresSums), apps BYTEA NOT NULL, \
            PRIMARY KEY (day, source_ip, data_source))
            """,
            """
            CREATE TABLE discovery_week (day INTEGER NOT NULL, data_source BIGINT NOT NULL, \(postgresSums), \
            users BYTEA NOT NULL, ips BYTEA NOT NULL, PRIMARY KEY (day, data_source))
            """,
            "CREATE TABLE discovery_weeks (day INTEGER PRIMARY KEY, built_at BIGINT NOT NULL)",
        ]
    )
}
