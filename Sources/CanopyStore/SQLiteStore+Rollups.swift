import Foundation
import GRDB

/// Writing the Cloud Discovery rollups (``DiscoveryRollups``) on SQLite: merged into the stored rows in the
/// transaction that stores their batch (SQLite has one writer, so reading a sketch and writing it back is safe).
extension SQLiteStore {
    /// Sums add up; stored sketches are merged with the batch's by ``sketchUnion`` inside the upsert, one statement a
    /// row (a read and a write a row took twice the statements). Into the daily rollups, the weeks written to stop
    /// being built (``DiscoveryWeeks``); with `weekly`, `rollups` are whole weeks (keyed by their first day) and go
    /// into the weekly tables.
    static func merge(_ rollups: DiscoveryRollups, into db: Database, weekly: Bool = false) throws {
        func table(_ daily: String) -> String { weekly ? DiscoveryWeeks.weekly(daily) : daily }
        if !weekly { try unbuildWeeks(Set(rollups.days.keys.map { DiscoveryWeeks.start(of: $0.day) }), db) }
        let writeApp = try db.cachedStatement(
            sql: upsert(table("discovery_app_day"), key: "day, app, data_source", sketches: ["users", "ips"])
        )
        for (key, value) in rollups.appDays {
            try writeApp.execute(
                arguments: [key.day, key.app, key.dataSource] + sumArguments(value.sums)
                    + [blob(value.users), blob(value.ips)]
            )
        }
        for (table, column, entities) in [
            (table("discovery_user_day"), "user_name", rollups.userDays),
            (table("discovery_ip_day"), "source_ip", rollups.ipDays),
        ] {
            let write = try db.cachedStatement(
                sql: upsert(table, key: "day, \(column), data_source", sketches: ["apps"])
            )
            for (key, value) in entities {
                try write.execute(
                    arguments: [key.day, key.key, key.dataSource] + sumArguments(value.sums) + [blob(value.apps)]
                )
            }
        }
        let writeDay = try db.cachedStatement(
            sql: upsert(table("discovery_day"), key: "day, data_source", sketches: ["users", "ips"])
        )
        for (key, value) in rollups.days {
            try writeDay.execute(
                arguments: [key.day, key.dataSource] + sumArguments(value.sums) + [blob(value.users), blob(value.ips)]
            )
        }
    }

    /// `canopy_sketch_union(stored, new)`: the serialized union of two serialized sketches; a damaged one fails the
    /// statement with the reason. Registered on every connection.
    static let sketchUnion = DatabaseFunction("canopy_sketch_union", argumentCount: 2, pure: true) { values in
        var sketch = DistinctSketch()
        for value in values {
            guard case .blob(let data) = value.storage else { throw SketchError(reason: "not a blob") }
            try sketch.merge(serialized: data)
        }
        return Data(sketch.serialized)
    }

    /// Recomputes the rollups of `days` (every day when nil) from `discovery_traffic`, one day at a time.
    static func rebuildRollups(_ db: Database, days: [Int32]?) throws {
        if let days {
            try unbuildWeeks(Set(days.map(DiscoveryWeeks.start(of:))), db)
        } else {
            try unbuildWeeks(before: nil, db)
        }
        let rebuilt =
            try days
            ?? Int32.fetchAll(db, sql: "SELECT DISTINCT day FROM discovery_traffic ORDER BY day")
        for day in rebuilt {
            for table in rollupTables {
                try db.execute(sql: "DELETE FROM \(table) WHERE day = ?", arguments: [day])
            }
            var rollups = DiscoveryRollups()
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT day, app, user_name, source_ip, bytes_up, bytes_down, bytes_total, transactions, blocked,
                        first_seen, last_seen, data_source
                    FROM discovery_traffic WHERE day = ?
                    """,
                arguments: [day]
            )
            while let row = try rows.next() { rollups.add(discoveryRow(row)) }
            try merge(rollups, into: db)
        }
        if days == nil {
            // Rollups of days that no longer have any grain (none after a rebuild from scratch).
            for table in rollupTables {
                try db.execute(
                    sql: "DELETE FROM \(table) WHERE day NOT IN (SELECT DISTINCT day FROM discovery_traffic)"
                )
            }
        }
    }

    static let rollupTables = ["discovery_app_day", "discovery_user_day", "discovery_ip_day", "discovery_day"]

    static func discoveryRow(_ row: Row) -> DiscoveryRow {
        DiscoveryRow(
            day: row["day"],
            app: row["app"],
            user: row["user_name"],
            sourceIP: row["source_ip"],
            bytesUp: row["bytes_up"],
            bytesDown: row["bytes_down"],
            bytesTotal: row["bytes_total"],
            transactions: row["transactions"],
            blocked: row["blocked"],
            firstSeen: row["first_seen"],
            lastSeen: row["last_seen"],
            dataSource: row["data_source"]
        )
    }

    static func mergeStored(_ row: Row, at index: Int, into sketch: inout DistinctSketch) throws {
        try row.withUnsafeData(atIndex: index) { data in
            guard let data else { throw SketchError(reason: "column \(index) is null") }
            try sketch.merge(serialized: data)
        }
    }

    static func mergeStored(_ row: Row, _ column: String, into sketch: inout DistinctSketch) throws {
        try row.withUnsafeData(named: column) { data in
            guard let data else { throw SketchError(reason: "\(column) is null") }
            try sketch.merge(serialized: data)
        }
    }

    private static func upsert(_ table: String, key: String, sketches: [String]) -> String {
        let sums = ["bytes_up", "bytes_down", "bytes_total", "transactions", "blocked"]
        let columns = key + ", " + (sums + ["first_seen", "last_seen"] + sketches).joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: columns.split(separator: ",").count).joined(separator: ", ")
        let updates =
            sums.map { "\($0) = \($0) + excluded.\($0)" }
            + ["first_seen = min(first_seen, excluded.first_seen)", "last_seen = max(last_seen, excluded.last_seen)"]
            + sketches.map { "\($0) = canopy_sketch_union(\($0), excluded.\($0))" }
        return """
            INSERT INTO \(table) (\(columns)) VALUES (\(placeholders))
            ON CONFLICT (\(key)) DO UPDATE SET \(updates.joined(separator: ", "))
            """
    }

    private static func sumArguments(_ s: TrafficSums) -> StatementArguments {
        [s.bytesUp, s.bytesDown, s.bytesTotal, s.transactions, s.blocked, s.firstSeen, s.lastSeen]
    }

    private static func blob(_ sketch: DistinctSketch) -> Data { Data(sketch.serialized) }
}
