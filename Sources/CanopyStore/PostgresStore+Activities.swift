package import CanopyCore
import PostgresNIO

extension PostgresStore {
    package func appendActivities(_ activities: [Activity]) async throws -> Int {
        guard !activities.isEmpty else { return 0 }
        return try await run("append activities") {
            try await client.withTransaction(logger: logger) { connection in
                var added = 0
                for a in activities {
                    let location = a.location
                    let rows = try await connection.query(
                        """
                        INSERT INTO activities (time, source, source_event_id, app, instance, actor_id, actor_name,
                            actor_email, actor_kind, actor_admin, impersonated, ip, country, region, city, latitude,
                            longitude, isp, asn, ip_tags, user_agent, device_tags, type, raw_event_name, objects,
                            result, raw)
                        VALUES (\(a.time), \(a.source.rawValue), \(a.sourceEventID), \(a.app), \(a.instance),
                            \(a.actor.id), \(a.actor.name), \(a.actor.email), \(a.actor.kind.rawValue),
                            \(a.actor.isAdmin), \(a.impersonated), \(a.ip), \(location?.country),
                            \(location?.region), \(location?.city), \(location?.latitude), \(location?.longitude),
                            \(a.isp), \(a.asn), \(ActivityColumns.text(a.ipTags)), \(a.userAgent),
                            \(ActivityColumns.text(a.deviceTags)), \(a.type.rawValue), \(a.rawEventName),
                            \(ActivityColumns.text(a.objects)), \(a.result.rawValue), \(a.raw))
                        ON CONFLICT (app, instance, source_event_id) DO NOTHING
                        RETURNING 1
                        """,
                        logger: logger
                    )
                    for try await _ in rows { added += 1 }
                }
                return added
            }
        }
    }

    package func activities(_ f: ActivityFilter, before: Int64?, limit: Int) async throws -> [StoredActivity] {
        try await run("read activities") {
            let type = f.type?.rawValue
            let result = f.result?.rawValue
            let source = f.source?.rawValue
            let rows = try await client.query(
                """
                SELECT \(unescaped: ActivityColumns.select) FROM activities
                WHERE id < \(before ?? Int64.max) AND time >= \(f.from ?? Int64.min) AND time < \(f.to ?? Int64.max)
                    AND (\(f.app)::text IS NULL OR app = \(f.app))
                    AND (\(f.instance)::text IS NULL OR instance = \(f.instance))
                    AND (\(f.user)::text IS NULL OR actor_name = \(f.user))
                    AND (\(type)::text IS NULL OR type = \(type))
                    AND (\(f.ip)::text IS NULL OR ip = \(f.ip))
                    AND (\(result)::text IS NULL OR result = \(result))
                    AND (\(source)::text IS NULL OR source = \(source))
                ORDER BY id DESC LIMIT \(max(0, limit))
                """,
                logger: logger
            )
            var out: [StoredActivity] = []
            for try await row in rows { out.append(try Self.storedActivity(row.makeRandomAccess())) }
            return out
        }
    }

    package func deleteActivities(before time: Int64) async throws -> Int {
        try await run("delete old activities") {
            try await count(
                "WITH gone AS (DELETE FROM activities WHERE time < \(time) RETURNING 1) SELECT count(*) FROM gone"
            )
        }
    }

    package func deleteActivities(user: String) async throws -> Int {
        try await run("erase a user's activities") {
            try await count(
                "WITH gone AS (DELETE FROM activities WHERE actor_name = \(user) RETURNING 1) SELECT count(*) FROM gone"
            )
        }
    }

    private func count(_ query: PostgresQuery) async throws -> Int {
        let rows = try await client.query(query, logger: logger)
        for try await n in rows.decode(Int64.self) { return Int(n) }
        return 0
    }

    /// An activity from a row of ``ActivityColumns/select``, by column position.
    private static func storedActivity(_ c: PostgresRandomAccessRow) throws -> StoredActivity {
        func text(_ i: Int) throws -> String { try c[i].decode(String.self) }
        func optional(_ i: Int) throws -> String? { try c[i].decode(String?.self) }
        func number(_ i: Int) throws -> Double? { try c[i].decode(Double?.self) }
        return StoredActivity(
            id: try c[0].decode(Int64.self),
            activity: Activity(
                sourceEventID: try text(3),
                time: try c[1].decode(Int64.self),
                source: Activity.Source(rawValue: try text(2)) ?? .import,
                app: try text(4),
                instance: try text(5),
                actor: Activity.Actor(
                    id: try optional(6),
                    name: try optional(7),
                    email: try optional(8),
                    kind: Activity.Actor.Kind(rawValue: try text(9)) ?? .unknown,
                    isAdmin: try c[10].decode(Bool.self)
                ),
                impersonated: try c[11].decode(Bool.self),
                ip: try optional(12),
                location: ActivityColumns.location(
                    country: try optional(13),
                    region: try optional(14),
                    city: try optional(15),
                    latitude: try number(16),
                    longitude: try number(17)
                ),
                isp: try optional(18),
                asn: try c[19].decode(Int64?.self).map { Int($0) },
                ipTags: ActivityColumns.list(try text(20)),
                userAgent: try optional(21),
                deviceTags: ActivityColumns.list(try text(22)),
                type: ActivityType(rawValue: try text(23)) ?? .other,
                rawEventName: try text(24),
                objects: ActivityColumns.list(try text(25)),
                result: Activity.Result(rawValue: try text(26)) ?? .unknown,
                raw: try optional(27)
            )
        )
    }
}
