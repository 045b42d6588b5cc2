package import CanopyCore
import GRDB

extension SQLiteStore {
    package func appendActivities(_ activities: [Activity]) async throws -> Int {
        guard !activities.isEmpty else { return 0 }
        return try await run("append activities") { [pool] in
            try await pool.write { db in
                let statement = try db.cachedStatement(
                    sql: """
                        INSERT INTO activities (time, source, source_event_id, app, instance, actor_id, actor_name,
                            actor_email, actor_kind, actor_admin, impersonated, ip, country, region, city, latitude,
                            longitude, isp, asn, ip_tags, user_agent, device_tags, type, raw_event_name, objects, result,
                            raw)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (app, instance, source_event_id) DO NOTHING
                        """
                )
                var added = 0
                for a in activities {
                    let values: [(any DatabaseValueConvertible)?] = [
                        a.time, a.source.rawValue, a.sourceEventID, a.app, a.instance, a.actor.id, a.actor.name,
                        a.actor.email, a.actor.kind.rawValue, a.actor.isAdmin, a.impersonated, a.ip,
                        a.location?.country, a.location?.region, a.location?.city, a.location?.latitude,
                        a.location?.longitude, a.isp, a.asn, ActivityColumns.text(a.ipTags), a.userAgent,
                        ActivityColumns.text(a.deviceTags), a.type.rawValue, a.rawEventName,
                        ActivityColumns.text(a.objects), a.result.rawValue, a.raw,
                    ]
                    try statement.execute(arguments: StatementArguments(values))
                    added += db.changesCount
                }
                return added
            }
        }
    }

    package func activities(_ f: ActivityFilter, before: Int64?, limit: Int) async throws -> [StoredActivity] {
        try await run("read activities") { [pool] in
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(ActivityColumns.select) FROM activities
                        WHERE id < ? AND time >= ? AND time < ?
                            AND (? IS NULL OR app = ?) AND (? IS NULL OR instance = ?)
                            AND (? IS NULL OR actor_name = ?) AND (? IS NULL OR type = ?)
                            AND (? IS NULL OR ip = ?) AND (? IS NULL OR result = ?) AND (? IS NULL OR source = ?)
                        ORDER BY id DESC LIMIT ?
                        """,
                    arguments: [
                        before ?? Int64.max, f.from ?? Int64.min, f.to ?? Int64.max, f.app, f.app, f.instance,
                        f.instance, f.user, f.user, f.type?.rawValue, f.type?.rawValue, f.ip, f.ip,
                        f.result?.rawValue, f.result?.rawValue, f.source?.rawValue, f.source?.rawValue, max(0, limit),
                    ]
                ).map(Self.storedActivity)
            }
        }
    }

    package func deleteActivities(before time: Int64) async throws -> Int {
        try await run("delete old activities") { [pool] in
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM activities WHERE time < ?", arguments: [time])
                return db.changesCount
            }
        }
    }

    package func deleteActivities(user: String) async throws -> Int {
        try await run("erase a user's activities") { [pool] in
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM activities WHERE actor_name = ?", arguments: [user])
                return db.changesCount
            }
        }
    }

    private static func storedActivity(_ row: Row) -> StoredActivity {
        StoredActivity(
            id: row["id"],
            activity: Activity(
                sourceEventID: row["source_event_id"],
                time: row["time"],
                source: Activity.Source(rawValue: row["source"]) ?? .import,
                app: row["app"],
                instance: row["instance"],
                actor: Activity.Actor(
                    id: row["actor_id"],
                    name: row["actor_name"],
                    email: row["actor_email"],
                    kind: Activity.Actor.Kind(rawValue: row["actor_kind"]) ?? .unknown,
                    isAdmin: row["actor_admin"]
                ),
                impersonated: row["impersonated"],
                ip: row["ip"],
                location: ActivityColumns.location(
                    country: row["country"],
                    region: row["region"],
                    city: row["city"],
                    latitude: row["latitude"],
                    longitude: row["longitude"]
                ),
                isp: row["isp"],
                asn: row["asn"],
                ipTags: ActivityColumns.list(row["ip_tags"]),
                userAgent: row["user_agent"],
                deviceTags: ActivityColumns.list(row["device_tags"]),
                type: ActivityType(rawValue: row["type"]) ?? .other,
                rawEventName: row["raw_event_name"],
                objects: ActivityColumns.list(row["objects"]),
                result: Activity.Result(rawValue: row["result"]) ?? .unknown,
                raw: row["raw"]
            )
        )
    }
}
