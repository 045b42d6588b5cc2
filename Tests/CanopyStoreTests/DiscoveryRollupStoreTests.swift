import CanopyStore
import Foundation
import GRDB
import Testing

/// The dashboard's reads come from rollups kept at ingest; they must say exactly what a scan of the (day, app, user,
/// IP) grain says (for sets small enough to be counted exactly), after re-adds, retention, privacy erasure and a
/// migration that builds them from data stored before they existed.
@Suite struct DiscoveryRollupStoreTests {
    /// 4,000 rows over 24 days (Tuesday 2025-01-07 to Thursday 01-30: three whole weeks and parts of two), 25 apps, 300 users, 200 IPs, some without a user or IP, from three data sources (0:
    /// none) that see the same users and apps, in uneven batches with keys repeated within and across batches.
    static func workload(seed: UInt64 = 7) -> [[DiscoveryRow]] {
        var random = SeededRandom(seed: seed)
        var batches: [[DiscoveryRow]] = []
        var batch: [DiscoveryRow] = []
        for i in 0..<4_000 {
            let user = random.next(30) == 0 ? "" : "user\(random.next(300))@corp.example"
            let ip = random.next(25) == 0 ? "" : "10.1.\(random.next(4)).\(random.next(50))"
            let bytes = Int64(random.next(1_000_000))
            let time = Int64(20_100 + Int(random.next(24))) * 86_400_000 + Int64(random.next(86_400_000))
            batch.append(
                DiscoveryRow(
                    day: Int32(time / 86_400_000),
                    app: "app\(random.next(25))",
                    user: user,
                    sourceIP: ip,
                    bytesUp: bytes / 3,
                    bytesDown: bytes - bytes / 3,
                    bytesTotal: bytes,
                    transactions: Int64(1 + random.next(5)),
                    blocked: Int64(random.next(3) == 0 ? 1 : 0),
                    firstSeen: time,
                    lastSeen: time + Int64(random.next(1_000)),
                    dataSource: Int64(random.next(3))
                )
            )
            if random.next(300) == 0 || i == 3_999 {
                batches.append(batch)
                batch = []
            }
        }
        return batches
    }

    static let ranges: [ClosedRange<Int32>] = [
        20_100...20_123, 20_101...20_114, 20_103...20_121, 20_101...20_103, 20_104...20_104, 0...Int32.max, 1...2,
    ]

    /// Every dashboard read equals the brute-force answer over `rows`: of the global report (every source merged)
    /// and of each data source's report (an unknown source's is empty).
    static func expectMatches(_ store: any Store, _ rows: [DiscoveryRow]) async throws {
        for source in [nil, 0, 1, 2, 99] as [Int64?] {
            try await expectMatches(store, rows.filter { source == nil || $0.dataSource == source }, source)
        }
    }

    static func expectMatches(_ store: any Store, _ rows: [DiscoveryRow], _ source: Int64?) async throws {
        for range in ranges {
            let inRange = rows.filter { range.contains($0.day) }
            let named = "\(range) source \(String(describing: source))"
            #expect(try await store.discoveryByApp(days: range, dataSource: source) == Exact.byApp(inRange), "\(named)")
            #expect(
                try await store.discoveryTotals(days: range, dataSource: source) == Exact.totals(inRange),
                "\(named)"
            )
            #expect(
                try await store.discoveryDaily(days: range, dataSource: source, app: nil) == Exact.daily(inRange),
                "\(named)"
            )
            #expect(
                try await store.discoveryDaily(days: range, dataSource: source, app: "app3")
                    == Exact.daily(inRange.filter { $0.app == "app3" })
            )
            for limit in [10, nil] as [Int?] {
                #expect(
                    try await store.discoveryByUser(days: range, dataSource: source, app: nil, limit: limit)
                        == Exact.entities(inRange, \.user, limit: limit),
                    "\(named) \(String(describing: limit))"
                )
                #expect(
                    try await store.discoveryByIP(days: range, dataSource: source, app: nil, limit: limit)
                        == Exact.entities(inRange, \.sourceIP, limit: limit)
                )
                #expect(
                    try await store.discoveryByUser(days: range, dataSource: source, app: "app5", limit: limit)
                        == Exact.entities(inRange.filter { $0.app == "app5" }, \.user, limit: limit)
                )
            }
        }
    }

    @Test(arguments: Backend.available)
    func rollupsAnswerLikeTheGrainThroughReAddsRetentionAndErasure(_ backend: Backend) async throws {
        try await withStore(backend) { store, reopen in
            let batches = Self.workload()
            for batch in batches { try await store.addDiscovery(batch) }
            var rows = batches.flatMap { $0 }
            try await Self.expectMatches(store, rows)

            // The same flush stored twice (a retry): sums double, distinct counts do not move.
            try await store.addDiscovery(batches[0])
            rows += batches[0]
            try await Self.expectMatches(try await reopen(), rows)

            let erased = "user17@corp.example"
            let expectedErased = rows.filter { $0.user == erased }
            #expect(try await store.deleteDiscovery(user: erased) == Set(expectedErased.map(Exact.Key.init)).count)
            rows.removeAll { $0.user == erased }
            try await Self.expectMatches(store, rows)

            _ = try await store.deleteDiscovery(before: 20_102)
            rows.removeAll { $0.day < 20_102 }
            try await Self.expectMatches(store, rows)

            _ = try await store.deleteDiscovery(before: nil)
            try await Self.expectMatches(store, [])
        }
    }

    /// One collector flush is one `addDiscovery` call, larger than a PostgreSQL statement carries (its rows go in
    /// several statements of one transaction) and with keys repeated across those statements.
    @Test(arguments: Backend.available)
    func aFlushOfManyStatementsIsStoredWhole(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let flush = Array(repeating: Self.workload(seed: 11).flatMap { $0 }, count: 3).flatMap { $0 }
            #expect(flush.count > 10_000)
            try await store.addDiscovery(flush)
            try await Self.expectMatches(store, flush)
        }
    }

    /// Weekly rollups change which rows a read takes, never its answer: built, rebuilt after a week is written to
    /// again, after an erasure and after retention cuts a week in two.
    @Test(arguments: Backend.available)
    func weeklyRollupsAnswerLikeTheGrain(_ backend: Backend) async throws {
        try await withStore(backend) { store, reopen in
            let batches = Self.workload(seed: 5)
            for batch in batches { try await store.addDiscovery(batch) }
            var rows = batches.flatMap { $0 }
            let month: ClosedRange<Int32> = 20_100...20_123
            // Weeks of 01-06, 01-13, 01-20; not 01-27, which is not over on 01-30. The first is not wholly in the month.
            #expect(try await store.buildDiscoveryWeeks(before: 20_123, now: 1) == 4)
            #expect(try await store.buildDiscoveryWeeks(before: 20_123, now: 2) == 0)
            #expect(try await store.discoveryWeeks(month).weeks == [20_101...20_115])
            #expect(try await store.discoveryWeeks(month).days == [20_100...20_100, 20_122...20_123])
            try await Self.expectMatches(store, rows)

            // A late batch for the week of 01-13 takes it off; building again puts it back.
            let late = batches[0].filter { (20_108...20_114).contains($0.day) }
            try await store.addDiscovery(late)
            rows += late
            #expect(try await store.discoveryWeeks(month).weeks == [20_101...20_101, 20_115...20_115])
            try await Self.expectMatches(try await reopen(), rows)
            #expect(try await store.buildDiscoveryWeeks(before: 20_130, now: 3) == 2)
            try await Self.expectMatches(store, rows)

            let erased = "user42@corp.example"
            let touched = Set(rows.filter { $0.user == erased }.map { DiscoveryWeeks.start(of: $0.day) })
            #expect(touched.count >= 2)
            _ = try await store.deleteDiscovery(user: erased)
            rows.removeAll { $0.user == erased }
            try await Self.expectMatches(store, rows)
            #expect(try await store.buildDiscoveryWeeks(before: 20_130, now: 4) == touched.count)
            try await Self.expectMatches(store, rows)

            _ = try await store.deleteDiscovery(before: 20_110)
            rows.removeAll { $0.day < 20_110 }
            #expect(try await store.discoveryWeeks(month).weeks == [20_115...20_115])
            try await Self.expectMatches(store, rows)
            #expect(try await store.buildDiscoveryWeeks(before: 20_130, now: 5) == 1)
            try await Self.expectMatches(store, rows)

            _ = try await store.deleteDiscovery(before: nil)
            #expect(try await store.buildDiscoveryWeeks(before: 20_130, now: 6) == 0)
            try await Self.expectMatches(store, [])
        }
    }

    /// Data stored before v7 (no rollups) or before v12 (no data sources): migrating builds the rollups from it,
    /// and all of it is traffic of no data source (0).
    @Test(arguments: Backend.available, ["v7", "v12"])
    func migratingBuildsRollupsFromDataStoredBefore(_ backend: Backend, _ upTo: String) async throws {
        let rows = Self.workload(seed: 11).flatMap { $0 }.map {
            var row = $0
            row.dataSource = 0
            return row
        }
        let before = (backend == .sqlite ? Schema.sqlite : Schema.postgres).prefix { !$0.id.hasPrefix(upTo) }
        #expect(before.count == (upTo == "v7" ? 6 : 11))
        // One row per key, in one statement.
        var merged: [Exact.Key: DiscoveryRow] = [:]
        for r in rows {
            guard var m = merged[Exact.Key(r)] else {
                merged[Exact.Key(r)] = r
                continue
            }
            m.bytesUp += r.bytesUp
            m.bytesDown += r.bytesDown
            m.bytesTotal += r.bytesTotal
            m.transactions += r.transactions
            m.blocked += r.blocked
            m.firstSeen = min(m.firstSeen, r.firstSeen)
            m.lastSeen = max(m.lastSeen, r.lastSeen)
            merged[Exact.Key(r)] = m
        }
        let insert =
            "INSERT INTO discovery_traffic VALUES "
            + merged.values.map { r in
                """
                (\(r.day), '\(r.app)', '\(r.user)', '\(r.sourceIP)', \(r.bytesUp), \(r.bytesDown), \(r.bytesTotal), \
                \(r.transactions), \(r.blocked), \(r.firstSeen), \(r.lastSeen))
                """
            }
            .joined(separator: ", ")
        switch backend {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-v6-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let path = dir.appendingPathComponent("canopy.sqlite").path
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                for m in before {
                    for s in m.statements { try db.execute(sql: s) }
                    try db.execute(sql: "INSERT INTO grdb_migrations VALUES (?)", arguments: [m.id])
                }
                try db.execute(sql: insert)
            }
            try queue.close()
            let store = try SQLiteStore(path: path)
            try await store.migrate()
            try await Self.expectMatches(store, rows)
        case .postgres:
            let name = "canopy_v6_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
            let admin = PostgresStore.Admin(configuration: Backend.postgresConfiguration(database: "postgres"))
            try await admin.execute("CREATE DATABASE \(name) TEMPLATE template0")
            let old = PostgresStore.Admin(configuration: Backend.postgresConfiguration(database: name))
            let store = PostgresStore(configuration: Backend.postgresConfiguration(database: name))
            do {
                try await old.execute(
                    "CREATE TABLE canopy_migrations (id TEXT PRIMARY KEY, seq BIGSERIAL, applied_at BIGINT NOT NULL)"
                )
                for m in before {
                    for s in m.statements { try await old.execute(s) }
                    try await old.execute("INSERT INTO canopy_migrations (id, applied_at) VALUES ('\(m.id)', 0)")
                }
                try await old.execute(insert)
                try await store.migrate()
                try await Self.expectMatches(store, rows)
            } catch {
                Issue.record(error)
            }
            await store.shutdown()
            await old.shutdown()
            try await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            await admin.shutdown()
        }
    }
}

/// The dashboard's answers computed the slow, obvious way from the rows themselves.
enum Exact {
    struct Key: Hashable {
        var day: Int32
        var dataSource: Int64
        var app: String
        var user: String
        var ip: String
        init(_ r: DiscoveryRow) { (day, dataSource, app, user, ip) = (r.day, r.dataSource, r.app, r.user, r.sourceIP) }
    }

    static func sums(_ rows: [DiscoveryRow]) -> (Int64, Int64, Int64, Int64, Int64, Int64, Int64) {
        (
            rows.reduce(0) { $0 + $1.bytesUp }, rows.reduce(0) { $0 + $1.bytesDown },
            rows.reduce(0) { $0 + $1.bytesTotal }, rows.reduce(0) { $0 + $1.transactions },
            rows.reduce(0) { $0 + $1.blocked }, rows.map(\.firstSeen).min() ?? 0, rows.map(\.lastSeen).max() ?? 0
        )
    }

    static func distinct(_ rows: [DiscoveryRow], _ field: KeyPath<DiscoveryRow, String>) -> Int {
        Set(rows.map { $0[keyPath: field] }.filter { !$0.isEmpty }).count
    }

    static func byApp(_ rows: [DiscoveryRow]) -> [AppUsageSummary] {
        Dictionary(grouping: rows, by: \.app).map { app, rows in
            let s = sums(rows)
            return AppUsageSummary(
                app: app,
                bytesUp: s.0,
                bytesDown: s.1,
                bytesTotal: s.2,
                transactions: s.3,
                blocked: s.4,
                users: distinct(rows, \.user),
                sourceIPs: distinct(rows, \.sourceIP),
                firstSeen: s.5,
                lastSeen: s.6
            )
        }
        .sorted { ($0.bytesTotal, $1.app) > ($1.bytesTotal, $0.app) }
    }

    static func totals(_ rows: [DiscoveryRow]) -> DiscoveryTotals {
        guard !rows.isEmpty else { return DiscoveryTotals() }
        let s = sums(rows)
        return DiscoveryTotals(
            apps: Set(rows.map(\.app)).count,
            users: distinct(rows, \.user),
            sourceIPs: distinct(rows, \.sourceIP),
            bytesUp: s.0,
            bytesDown: s.1,
            bytesTotal: s.2,
            transactions: s.3,
            blocked: s.4,
            firstSeen: s.5,
            lastSeen: s.6
        )
    }

    static func daily(_ rows: [DiscoveryRow]) -> [DailyUsage] {
        Dictionary(grouping: rows, by: \.day).map { day, rows in
            let s = sums(rows)
            return DailyUsage(
                day: day,
                bytesUp: s.0,
                bytesDown: s.1,
                bytesTotal: s.2,
                transactions: s.3,
                blocked: s.4
            )
        }
        .sorted { $0.day < $1.day }
    }

    static func entities(
        _ rows: [DiscoveryRow],
        _ field: KeyPath<DiscoveryRow, String>,
        limit: Int?
    ) -> [EntityUsageSummary] {
        let all = Dictionary(grouping: rows.filter { !$0[keyPath: field].isEmpty }) { $0[keyPath: field] }
            .map { key, rows in
                let s = sums(rows)
                return EntityUsageSummary(
                    key: key,
                    bytesUp: s.0,
                    bytesDown: s.1,
                    bytesTotal: s.2,
                    transactions: s.3,
                    blocked: s.4,
                    apps: Set(rows.map(\.app)).count,
                    firstSeen: s.5,
                    lastSeen: s.6
                )
            }
            .sorted { ($0.bytesTotal, $1.key) > ($1.bytesTotal, $0.key) }
        return limit.map { Array(all.prefix($0)) } ?? all
    }
}

/// SplitMix64: the same workload on every run.
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}
