import CanopyStore
import Foundation

/// The dashboard benchmark (issue 3, point 8): stores a generated month of Cloud Discovery at the (day, app, user, IP)
/// grain through the store's own write path (which keeps the rollups), then times the reads the portal's dashboard
/// makes, beside the `sqlite3` CLI running the same SQL on the same file and the scans of the grain that the rollups
/// replace.
struct DashboardBenchmark {
    var rows: Int
    var days: Int
    var users: Int
    var apps: Int
    var batch: Int
    var repeats: Int
    var dir: String

    struct Timing {
        var name: String
        var best: Double
        var median: Double
    }

    struct Result {
        var rows = 0
        var ingestSeconds = 0.0
        var databaseBytes: Int64 = 0
        /// With the finished weeks built.
        var canopy: [String: [Timing]] = [:]
        /// From the daily rollups alone, before building the weeks.
        var canopyDaily: [String: [Timing]] = [:]
        var weeksBuilt = 0
        var buildSeconds = 0.0
        /// Rollup rows a key each range reads with the weeks built (days plus weeks).
        var units: [String: Int] = [:]
        var sqliteSame: [String: Double] = [:]
        var sqliteGrain: [String: Double] = [:]
        var largestError = 0.0
        var errorNote = ""
    }

    /// Wednesday 2026-11-04: a 30-day range then starts on a Tuesday, the alignment that leaves the most edge days
    /// outside whole weeks (3 weeks and 9 days; from a Monday it would be 4 weeks and 2 days).
    static let lastDay: Int32 = 20_761

    func run() async throws -> Result {
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = "\(dir)/canopy.sqlite"
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        var result = Result()

        // A month of traffic, day after day, in flush-sized batches.
        var generator = GrainGenerator(users: users, apps: apps, rowsPerDay: rows / days, seed: 2026)
        var exactUsers: Set<String> = []
        var exactTopAppUsers: Set<String> = []
        let start = Date()
        for d in 0..<days {
            let day = Self.lastDay - Int32(days - 1 - d)
            let grain = generator.day(day)
            for r in grain {
                exactUsers.insert(r.user)
                if r.app == generator.topApp { exactTopAppUsers.insert(r.user) }
            }
            result.rows += grain.count
            for chunk in stride(from: 0, to: grain.count, by: batch) {
                try await store.addDiscovery(Array(grain[chunk..<min(chunk + batch, grain.count)]))
            }
        }
        result.ingestSeconds = Date().timeIntervalSince(start)
        result.databaseBytes =
            ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.int64Value ?? 0

        // Canopy: each read, and the dashboard page's five together, over the month and over its last week — first
        // from the daily rollups alone, then with the finished weeks built (as the server does within the hour).
        result.canopyDaily = try await measure(store)
        let build = Date()
        result.weeksBuilt = try await store.buildDiscoveryWeeks(before: Self.lastDay, now: 0)
        result.buildSeconds = Date().timeIntervalSince(build)
        result.canopy = try await measure(store)
        for (label, range) in ranges {
            let keys = (
                users: try await store.discoveryByUser(days: range, app: nil, limit: 10).map(\.key),
                ips: try await store.discoveryByIP(days: range, app: nil, limit: 10).map(\.key)
            )
            let weeks = try await store.discoveryWeeks(range)
            result.units[label] =
                weeks.days.reduce(0) { $0 + $1.count } + weeks.weeks.reduce(0) { $0 + $1.count / 7 + 1 }
            result.sqliteSame[label] = try sqlite3(path, sameSQL(range, weeks, keys))
            result.sqliteGrain[label] = try sqlite3(path, grainSQL(range))
        }

        // The sketches' error against the exact sets, on the two largest counts.
        let month = ranges[0].1
        let totals = try await store.discoveryTotals(days: month)
        let top = try await store.discoveryByApp(days: month).first { $0.app == generator.topApp }
        let errors = [
            (totals.users, exactUsers.count), (top?.users ?? 0, exactTopAppUsers.count),
        ]
        result.largestError = errors.map { abs(Double($0.0 - $0.1)) / Double(max($0.1, 1)) }.max() ?? 0
        result.errorNote =
            "users in the month: \(totals.users) shown, \(exactUsers.count) exact; "
            + "users of the top app: \(top?.users ?? 0) shown, \(exactTopAppUsers.count) exact"
        return result
    }

    /// Each read's timings and the five's together, per range.
    func measure(_ store: SQLiteStore) async throws -> [String: [Timing]] {
        var out: [String: [Timing]] = [:]
        for (label, range) in ranges {
            var timings: [Timing] = []
            var whole: [Double] = []
            var together: [Double] = []
            var parts: [String: [Double]] = [:]
            for _ in 0..<repeats {
                var sum = 0.0
                for (name, read) in reads(store) {
                    let t = Date()
                    try await read(range)
                    let elapsed = Date().timeIntervalSince(t)
                    parts[name, default: []].append(elapsed)
                    sum += elapsed
                }
                whole.append(sum)
                // As the portal's dashboard page reads: the five at once.
                let t = Date()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (_, read) in reads(store) { group.addTask { try await read(range) } }
                    try await group.waitForAll()
                }
                together.append(Date().timeIntervalSince(t))
            }
            for (name, _) in reads(store) {
                timings.append(Self.timing(name, parts[name] ?? []))
            }
            timings.append(Self.timing("dashboard (all five)", whole))
            timings.append(Self.timing("dashboard page (the five at once)", together))
            out[label] = timings
        }
        return out
    }

    var ranges: [(String, ClosedRange<Int32>)] {
        [
            ("\(days) days", (Self.lastDay - Int32(days - 1))...Self.lastDay),
            ("7 days", (Self.lastDay - 6)...Self.lastDay),
        ]
    }

    /// The dashboard page's reads (PortalDiscoveryRoutes: tiles, apps, top users, top IPs, traffic per day).
    func reads(_ store: SQLiteStore) -> [(String, @Sendable (ClosedRange<Int32>) async throws -> Void)] {
        [
            ("totals", { _ = try await store.discoveryTotals(days: $0) }),
            ("apps", { _ = try await store.discoveryByApp(days: $0) }),
            ("top 10 users", { _ = try await store.discoveryByUser(days: $0, app: nil, limit: 10) }),
            ("top 10 IPs", { _ = try await store.discoveryByIP(days: $0, app: nil, limit: 10) }),
            ("per day", { _ = try await store.discoveryDaily(days: $0, app: nil) }),
        ]
    }

    static func timing(_ name: String, _ samples: [Double]) -> Timing {
        let sorted = samples.sorted()
        return Timing(name: name, best: sorted.first ?? 0, median: sorted.isEmpty ? 0 : sorted[sorted.count / 2])
    }

    /// The statements Canopy runs for the dashboard, with the values it binds.
    func sameSQL(
        _ range: ClosedRange<Int32>,
        _ weeks: DiscoveryWeeks,
        _ keys: (users: [String], ips: [String])
    ) -> [String] {
        var statements = [
            SQLiteDashboardSQL.days(weeks, nil),
            SQLiteDashboardSQL.appCount(weeks, nil),
            SQLiteDashboardSQL.appDays(weeks, nil),
        ]
        for (entity, chosen) in [(SQLiteDashboardSQL.users, keys.users), (SQLiteDashboardSQL.ips, keys.ips)] {
            statements.append(SQLiteDashboardSQL.entityDays(entity, weeks, nil))
            statements.append(
                Self.bind(
                    SQLiteDashboardSQL.appSketches(entity, weeks, nil, keys: chosen.count),
                    chosen.map(Self.quote)
                )
            )
        }
        statements.append(SQLiteDashboardSQL.daily(range, nil))
        return statements
    }

    /// What the dashboard ran before the rollups: exact scans of the grain.
    func grainSQL(_ range: ClosedRange<Int32>) -> [String] {
        let within = "FROM discovery_traffic WHERE day BETWEEN \(range.lowerBound) AND \(range.upperBound)"
        let sums = "SUM(bytes_up), SUM(bytes_down), SUM(bytes_total) AS total, SUM(transactions), SUM(blocked)"
        return [
            """
            SELECT COUNT(DISTINCT app), COUNT(DISTINCT NULLIF(user_name, '')), COUNT(DISTINCT NULLIF(source_ip, '')),
                \(sums), MIN(first_seen), MAX(last_seen) \(within)
            """,
            """
            SELECT app, \(sums), COUNT(DISTINCT NULLIF(user_name, '')), COUNT(DISTINCT NULLIF(source_ip, '')),
                MIN(first_seen), MAX(last_seen) \(within) GROUP BY app ORDER BY total DESC, app
            """,
            """
            SELECT user_name, \(sums), COUNT(DISTINCT app) \(within) AND user_name <> ''
            GROUP BY user_name ORDER BY total DESC, user_name LIMIT 10
            """,
            """
            SELECT source_ip, \(sums), COUNT(DISTINCT app) \(within) AND source_ip <> ''
            GROUP BY source_ip ORDER BY total DESC, source_ip LIMIT 10
            """,
            "SELECT day, \(sums) \(within) GROUP BY day ORDER BY day",
        ]
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    /// Replaces each `?` in turn (the statements have no `?` inside literals).
    static func bind(_ sql: String, _ values: [String]) -> String {
        var out = ""
        var next = values.makeIterator()
        for c in sql {
            if c == "?", let v = next.next() { out += v } else { out.append(c) }
        }
        return out
    }

    /// The best of three runs of the `sqlite3` CLI over the statements (its `.timer`, summed; results discarded).
    func sqlite3(_ path: String, _ statements: [String]) throws -> Double {
        guard let cli = Spawn.which("sqlite3") else { return .nan }
        let script = "\(dir)/script.sql"
        let output = "\(dir)/timer.txt"
        let text =
            ".timer on\n"
            + statements.map { ".once /dev/null\n" + $0.replacingOccurrences(of: "\n", with: " ") + ";\n" }.joined()
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        var best = Double.infinity
        for _ in 0..<3 {
            let m = Spawn.run([cli, "-readonly", path], stdoutPath: output, stdinPath: script)
            guard m.exitStatus == 0 else { throw BenchmarkError("sqlite3 failed (exit \(m.exitStatus))") }
            let times = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").compactMap { line in
                line.hasPrefix("Run Time: real ") ? Double(line.dropFirst(15).split(separator: " ")[0]) : nil
            }
            guard times.count == statements.count else {
                throw BenchmarkError("sqlite3 timed \(times.count) statements")
            }
            best = min(best, times.reduce(0, +))
        }
        return best
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A month of an organization's Cloud Discovery at the store's grain: users on one or two addresses (desk and VPN),
/// apps by a Zipf-like popularity (a few apps everyone uses, a long tail), most users active on a given day.
struct GrainGenerator {
    var users: Int
    var apps: Int
    var rowsPerDay: Int
    private var state: UInt64
    /// Cumulative popularity of apps by rank.
    private var cumulative: [Double] = []

    init(users: Int, apps: Int, rowsPerDay: Int, seed: UInt64) {
        self.users = users
        self.apps = apps
        self.rowsPerDay = rowsPerDay
        state = seed
        var total = 0.0
        for rank in 1...apps {
            total += 1 / pow(Double(rank), 1.1)
            cumulative.append(total)
        }
        cumulative = cumulative.map { $0 / total }
    }

    var topApp: String { Self.appName(0) }

    static func appName(_ rank: Int) -> String { "app-\(rank)" }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }

    mutating func app() -> Int {
        let u = Double(next(1 << 30)) / Double(1 << 30)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] < u { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// One day's distinct (app, user, IP) rows, about `rowsPerDay` of them.
    mutating func day(_ day: Int32) -> [DiscoveryRow] {
        var seen: Set<String> = []
        var out: [DiscoveryRow] = []
        out.reserveCapacity(rowsPerDay)
        let dayStart = Int64(day) * 86_400_000
        while out.count < rowsPerDay {
            let u = next(users)
            let user = "user\(u)@corp.example"
            let ip =
                u % 3 == 0 && next(2) == 0
                ? "172.16.\(u / 250 % 250).\(u % 250)" : "10.\(u / 62_500 % 250).\(u / 250 % 250).\(u % 250)"
            let app = Self.appName(app())
            guard seen.insert("\(app) \(user) \(ip)").inserted else { continue }
            let transactions = Int64(1 + next(200))
            let up = Int64(next(50_000)) * transactions / 10
            let down = Int64(next(400_000)) * transactions / 10
            let first = dayStart + Int64(next(80_000_000))
            out.append(
                DiscoveryRow(
                    day: day,
                    app: app,
                    user: user,
                    sourceIP: ip,
                    bytesUp: up,
                    bytesDown: down,
                    bytesTotal: up + down,
                    transactions: transactions,
                    blocked: next(50) == 0 ? Int64(1 + next(3)) : 0,
                    firstSeen: first,
                    lastSeen: first + Int64(next(6_400_000))
                )
            )
        }
        return out
    }
}

extension DashboardBenchmark.Result {
    /// The Markdown for docs/benchmarks.md.
    func markdown(_ b: DashboardBenchmark) -> String {
        func ms(_ s: Double) -> String { String(format: "%.1f", s * 1000) }
        var out = """
            Stored \(rows) (day, app, user, IP) rows (\(b.days) days, \(b.users) users, \(b.apps) apps) through \
            `addDiscovery` in batches of \(b.batch): \(String(format: "%.1f", ingestSeconds)) s, \
            \(Int(Double(rows) / max(ingestSeconds, 1e-9))) rows/s with the rollups; database \(databaseBytes / 1_048_576) MiB.

            Building the \(weeksBuilt) finished weeks' weekly rollups from the daily ones: \
            \(String(format: "%.2f", buildSeconds)) s.

            | range | read | daily only: best ms | median ms | with weeks: best ms | median ms |
            |---|---|---|---|---|---|

            """
        for (label, _) in b.ranges {
            for (daily, t) in zip(canopyDaily[label] ?? [], canopy[label] ?? []) {
                out += "| \(label) (\(units[label] ?? 0) rows a key) | \(t.name) | \(ms(daily.best)) | "
                out += "\(ms(daily.median)) | \(ms(t.best)) | \(ms(t.median)) |\n"
            }
        }
        out += """

            | range | canopy dashboard (best) | sqlite3 CLI, same SQL | sqlite3 CLI, scans of the grain (before v7) | \
            canopy / same SQL | grain / canopy |
            |---|---|---|---|---|---|

            """
        for (label, _) in b.ranges {
            let whole = canopy[label]?.first { $0.name == "dashboard (all five)" }?.best ?? .nan
            let same = sqliteSame[label] ?? .nan
            let grain = sqliteGrain[label] ?? .nan
            out += "| \(label) | \(ms(whole)) ms | \(ms(same)) ms | \(ms(grain)) ms | "
            out += String(format: "%.2f× | %.0f× |\n", whole / same, grain / whole)
        }
        out +=
            "\nDistinct counts from the sketches: largest error \(String(format: "%.2f", largestError * 100)) % (\(errorNote)).\n"
        return out
    }
}
