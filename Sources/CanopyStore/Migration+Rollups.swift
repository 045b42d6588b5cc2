extension Schema {
    /// The Cloud Discovery rollups (see ``DiscoveryRollups``), built from the stored grain by the migration named
    /// ``rollupsBuiltBy`` (this one until v12). On SQLite the keyed rollups are
    /// `WITHOUT ROWID`, clustered by (day, key): a range of days is one sequential read, not an index walk plus a
    /// table lookup a row (1.7× faster for the top users of a month).
    static let rollupsID = "v7-discovery-rollups"

    static let sqliteRollups = Migration(
        id: rollupsID,
        statements: [
            """
            CREATE TABLE discovery_app_day (day INTEGER NOT NULL, app TEXT NOT NULL, \(sqliteSums), \
            users BLOB NOT NULL, ips BLOB NOT NULL, PRIMARY KEY (day, app)) WITHOUT ROWID
            """,
            """
            CREATE TABLE discovery_user_day (day INTEGER NOT NULL, user_name TEXT NOT NULL, \(sqliteSums), \
            apps BLOB NOT NULL, PRIMARY KEY (day, user_name)) WITHOUT ROWID
            """,
            """
            CREATE TABLE discovery_ip_day (day INTEGER NOT NULL, source_ip TEXT NOT NULL, \(sqliteSums), \
            apps BLOB NOT NULL, PRIMARY KEY (day, source_ip)) WITHOUT ROWID
            """,
            """
            CREATE TABLE discovery_day (day INTEGER PRIMARY KEY NOT NULL, \(sqliteSums), users BLOB NOT NULL, \
            ips BLOB NOT NULL)
            """,
        ]
    )

    static let postgresRollups = Migration(
        id: rollupsID,
        statements: [
            """
            CREATE TABLE discovery_app_day (day INTEGER NOT NULL, app TEXT NOT NULL, \(postgresSums), \
            users BYTEA NOT NULL, ips BYTEA NOT NULL, PRIMARY KEY (day, app))
            """,
            """
            CREATE TABLE discovery_user_day (day INTEGER NOT NULL, user_name TEXT NOT NULL, \(postgresSums), \
            apps BYTEA NOT NULL, PRIMARY KEY (day, user_name))
            """,
            """
            CREATE TABLE discovery_ip_day (day INTEGER NOT NULL, source_ip TEXT NOT NULL, \(postgresSums), \
            apps BYTEA NOT NULL, PRIMARY KEY (day, source_ip))
            """,
            """
            CREATE TABLE discovery_day (day INTEGER PRIMARY KEY, \(postgresSums), users BYTEA NOT NULL, \
            ips BYTEA NOT NULL)
            """,
        ]
    )

    static let sqliteSums = """
        bytes_up INTEGER NOT NULL, bytes_down INTEGER NOT NULL, bytes_total INTEGER NOT NULL, \
        transactions INTEGER NOT NULL, blocked INTEGER NOT NULL, first_seen INTEGER NOT NULL, \
        last_seen INTEGER NOT NULL
        """

    static let postgresSums = """
        bytes_up BIGINT NOT NULL, bytes_down BIGINT NOT NULL, bytes_total BIGINT NOT NULL, \
        transactions BIGINT NOT NULL, blocked BIGINT NOT NULL, first_seen BIGINT NOT NULL, \
        last_seen BIGINT NOT NULL
        """
}
