import Foundation
import GRDB

/// The weekly rollups on SQLite (``DiscoveryWeeks``): built from the daily rollups of finished weeks, one week a
/// transaction; taken back by whatever writes or deletes one of a week's days. SQLite has one writer, so a week's
/// build and a batch that touches the week cannot interleave.
extension SQLiteStore {
    static let weeklyTables = rollupTables.map(DiscoveryWeeks.weekly)

    package func buildDiscoveryWeeks(before day: Int32, now: Int64) async throws -> Int {
        let pending = try await run("find discovery weeks to build") { [pool] in
            try await pool.read { db in
                try Self.unbuiltWeeks(db, before: DiscoveryWeeks.start(of: day))
            }
        }
        for start in pending {
            try await run("build a discovery week") { [pool] in
                try await pool.write { db in
                    guard try Self.unbuiltWeeks(db, before: start + DiscoveryWeeks.length).contains(start) else {
                        return
                    }
                    try Self.merge(Self.weekRollups(db, start: start), into: db, weekly: true)
                    try db.execute(
                        sql: "INSERT INTO discovery_weeks (day, built_at) VALUES (?, ?)",
                        arguments: [start, now]
                    )
                }
            }
        }
        return pending.count
    }

    /// Week starts before `limit` that have daily rollups and are not built.
    private static func unbuiltWeeks(_ db: Database, before limit: Int32) throws -> [Int32] {
        let days = try Int32.fetchAll(
            db,
            sql: "SELECT DISTINCT day FROM discovery_day WHERE day < ? ORDER BY day",
            arguments: [limit]
        )
        let built = Set(
            try Int32.fetchAll(db, sql: "SELECT day FROM discovery_weeks WHERE day < ?", arguments: [limit])
        )
        var starts: [Int32] = []
        for day in days {
            let start = DiscoveryWeeks.start(of: day)
            if starts.last != start, !built.contains(start) { starts.append(start) }
        }
        return starts
    }

    /// The daily rollups of the week that starts on `start`, added up under `start`.
    private static func weekRollups(_ db: Database, start: Int32) throws -> DiscoveryRollups {
        var week = DiscoveryRollups()
        let range: StatementArguments = [start, start + DiscoveryWeeks.length - 1]
        let columns = "\(SQLiteDashboardSQL.sumColumns)"
        let apps = try Row.fetchCursor(
            db,
            sql: "SELECT app, data_source, \(columns), users, ips FROM discovery_app_day WHERE day BETWEEN ? AND ?",
            arguments: range
        )
        while let row = try apps.next() {
            let key = DiscoveryRollups.AppDay(day: start, dataSource: row[1], app: row[0])
            try add(row, at: 2, into: &week.appDays[key, default: DiscoveryRollups.WithTwoSketches()])
        }
        for (table, column, path) in [
            ("discovery_user_day", "user_name", \DiscoveryRollups.userDays),
            ("discovery_ip_day", "source_ip", \DiscoveryRollups.ipDays),
        ] {
            let rows = try Row.fetchCursor(
                db,
                sql: "SELECT \(column), data_source, \(columns), apps FROM \(table) WHERE day BETWEEN ? AND ?",
                arguments: range
            )
            while let row = try rows.next() {
                let key = DiscoveryRollups.EntityDay(day: start, dataSource: row[1], key: row[0])
                week[keyPath: path][key, default: DiscoveryRollups.WithApps()].sums.add(sums(row, at: 2))
                try mergeStored(row, at: 9, into: &week[keyPath: path][key, default: DiscoveryRollups.WithApps()].apps)
            }
        }
        let days = try Row.fetchCursor(
            db,
            sql: "SELECT data_source, \(columns), users, ips FROM discovery_day WHERE day BETWEEN ? AND ?",
            arguments: range
        )
        while let row = try days.next() {
            let key = DiscoveryRollups.SourceDay(day: start, dataSource: row[0])
            try add(row, at: 1, into: &week.days[key, default: DiscoveryRollups.WithTwoSketches()])
        }
        return week
    }

    /// Takes the weeks starting on `starts` off the built list, with their weekly rows.
    static func unbuildWeeks(_ starts: Set<Int32>, _ db: Database) throws {
        for start in starts {
            try db.execute(sql: "DELETE FROM discovery_weeks WHERE day = ?", arguments: [start])
            guard db.changesCount > 0 else { continue }
            for table in weeklyTables {
                try db.execute(sql: "DELETE FROM \(table) WHERE day = ?", arguments: [start])
            }
        }
    }

    /// Takes every built week that starts before `day` (every one when nil) off the list, with its weekly rows: a
    /// deletion of the days before `day` touches each of them.
    static func unbuildWeeks(before day: Int32?, _ db: Database) throws {
        let limit = day ?? .max
        try db.execute(sql: "DELETE FROM discovery_weeks WHERE day < ?", arguments: [limit])
        for table in weeklyTables {
            try db.execute(sql: "DELETE FROM \(table) WHERE day < ?", arguments: [limit])
        }
    }

    /// Which rows answer `range`: the built weeks inside it from the weekly rollups, the other days from the daily.
    static func weeks(_ db: Database, _ range: ClosedRange<Int32>) throws -> DiscoveryWeeks {
        let built = try Int32.fetchAll(
            db,
            sql: "SELECT day FROM discovery_weeks WHERE day BETWEEN ? AND ?",
            arguments: [range.lowerBound, range.upperBound]
        )
        return DiscoveryWeeks(range, built: Set(built))
    }

    /// The rows the dashboard reads for `range` now (the benchmark gives them to the `sqlite3` CLI).
    package func discoveryWeeks(_ range: ClosedRange<Int32>) async throws -> DiscoveryWeeks {
        try await run("read discovery weeks") { [pool] in try await pool.read { db in try Self.weeks(db, range) } }
    }
}
