extension Schema {
    /// Normalized activities (``Activity``), one row each, unique per (app, instance, source event id) so that a
    /// connector re-reading a page stores an event once. Lists (`ip_tags`, `device_tags`, `objects`) are JSON arrays.
    /// Indexed on time (retention, time ranges, the newest-first list), on the actor and on the app.
    static let sqliteActivities = Migration(
        id: "v14-activities",
        statements: [
            """
            CREATE TABLE activities (id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, \
            source TEXT NOT NULL, source_event_id TEXT NOT NULL, app TEXT NOT NULL, instance TEXT NOT NULL, \
            actor_id TEXT, actor_name TEXT, actor_email TEXT, actor_kind TEXT NOT NULL, \
            actor_admin INTEGER NOT NULL, impersonated INTEGER NOT NULL, ip TEXT, country TEXT, region TEXT, \
            city TEXT, latitude REAL, longitude REAL, isp TEXT, asn INTEGER, ip_tags TEXT NOT NULL, user_agent TEXT, \
            device_tags TEXT NOT NULL, type TEXT NOT NULL, raw_event_name TEXT NOT NULL, objects TEXT NOT NULL, \
            result TEXT NOT NULL, raw TEXT, UNIQUE (app, instance, source_event_id))
            """,
            "CREATE INDEX activities_time ON activities (time)",
            "CREATE INDEX activities_actor ON activities (actor_name, time)",
            "CREATE INDEX activities_app ON activities (app, time)",
        ]
    )

    static let postgresActivities = Migration(
        id: "v14-activities",
        statements: [
            """
            CREATE TABLE activities (id BIGSERIAL PRIMARY KEY, time BIGINT NOT NULL, source TEXT NOT NULL, \
            source_event_id TEXT NOT NULL, app TEXT NOT NULL, instance TEXT NOT NULL, actor_id TEXT, actor_name TEXT, \
            actor_email TEXT, actor_kind TEXT NOT NULL, actor_admin BOOLEAN NOT NULL, impersonated BOOLEAN NOT NULL, \
            ip TEXT, country TEXT, region TEXT, city TEXT, latitude DOUBLE PRECISION, longitude DOUBLE PRECISION, \
            isp TEXT, asn BIGINT, ip_tags TEXT NOT NULL, user_agent TEXT, device_tags TEXT NOT NULL, type TEXT NOT NULL, \
            raw_event_name TEXT NOT NULL, objects TEXT NOT NULL, result TEXT NOT NULL, raw TEXT, \
            UNIQUE (app, instance, source_event_id))
            """,
            "CREATE INDEX activities_time ON activities (time)",
            "CREATE INDEX activities_actor ON activities (actor_name, time)",
            "CREATE INDEX activities_app ON activities (app, time)",
        ]
    )
}
