extension Schema {
    /// The apps an app-scoped admin manages (role `app-admin`), one row per (admin, app).
    static let sqliteAdminScopes = Migration(
        id: "v11-admin-app-scopes",
        statements: [
            """
            CREATE TABLE admin_app_scopes (admin TEXT NOT NULL, app TEXT NOT NULL, PRIMARY KEY (admin, app)) \
            WITHOUT ROWID
            """
        ]
    )

    static let postgresAdminScopes = Migration(
        id: "v11-admin-app-scopes",
        statements: [
            "CREATE TABLE admin_app_scopes (admin TEXT NOT NULL, app TEXT NOT NULL, PRIMARY KEY (admin, app))"
        ]
    )
}
