import ArgumentParser
import CanopyDiscovery
import Foundation

/// `canopy-bench`: the Cloud Discovery benchmark (not a test). Generates realistic logs, runs `canopy discover`
/// on one core and on all cores, runs GoAccess and mawk on the same files, and prints ratios.
@main
struct CanopyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canopy-bench",
        abstract: "Benchmarks Cloud Discovery against GoAccess and mawk on generated logs.",
        subcommands: [Generate.self, Run.self, Lookups.self, Dashboard.self],
        defaultSubcommand: Run.self
    )

    /// `canopy-bench generate`.
    struct Generate: ParsableCommand {
        @Option(help: "Format: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: String
        @Option(help: "Number of lines.") var lines: Int = 1_000_000
        @Option(help: "Output file.") var out: String
        @Option(help: "Random seed.") var seed: UInt64 = 42

        func run() throws {
            guard let f = LogFormat(rawValue: format) else { throw ValidationError("unknown format \(format)") }
            try generate(f, lines: lines, path: out, seed: seed)
        }
    }

    /// `canopy-bench lookups`: domain → app lookups per second on one core, and the matcher build time.
    struct Lookups: ParsableCommand {
        @Option(help: "The catalog directory.") var catalog: String
        @Option(help: "Lookups to run.") var count: Int = 10_000_000

        func run() throws {
            let result = try lookupBenchmark(catalogDirectory: catalog, count: count)
            print(result.summary)
        }
    }

    /// `canopy-bench dashboard`: the portal dashboard's reads over a month of stored discovery (see
    /// ``DashboardBenchmark``).
    struct Dashboard: AsyncParsableCommand {
        @Option(help: "(day, app, user, IP) rows to store.") var rows: Int = 1_000_000
        @Option(help: "Days they span.") var days: Int = 30
        @Option(help: "Distinct users.") var users: Int = 5_000
        @Option(help: "Distinct apps.") var apps: Int = 1_500
        @Option(help: "Rows per addDiscovery call (one collector flush).") var batch: Int = 50_000
        @Option(help: "Runs of each read; best and median are reported.") var repeats: Int = 7
        @Option(help: "Where the database goes (replaced).") var dir: String = "bench-out/dashboard"

        func run() async throws {
            let benchmark = DashboardBenchmark(
                rows: rows,
                days: days,
                users: users,
                apps: apps,
                batch: batch,
                repeats: repeats,
                dir: dir
            )
            print(try await benchmark.run().markdown(benchmark))
        }
    }

    /// `canopy-bench run`.
    struct Run: ParsableCommand {
        @Option(help: "The canopy binary to measure (a release build).") var canopy: String = ".build/release/canopy"
        @Option(help: "Where generated logs and outputs go.") var dir: String = "bench-out"
        @Option(parsing: .upToNextOption, help: "Line counts.") var lines: [Int] = [1_000_000]
        @Option(parsing: .upToNextOption, help: "Formats.") var formats: [String] = LogFormat.allCases.map(\.rawValue)
        @Option(help: "Worker threads for the all-cores run.") var jobs: Int = ProcessInfo.processInfo
            .activeProcessorCount
        @Option(help: "The catalog directory (for the lookup benchmark).")
        var catalog: String = "Sources/canopy/Resources/catalog"
        @Option(
            help: """
                Runs of Canopy and mawk per file, interleaved; the fastest counts (the machine is shared and noisy: \
                a neighbour's burst slows one run, never speeds one up).
                """
        )
        var repeats: Int = 3

        @Option(
            help: """
                Runs of GoAccess per file (10–20 s a million lines), interleaved with the first Canopy runs; the \
                fastest counts, as for Canopy, so that one slow minute does not flatter the ratio.
                """
        )
        var goaccessRepeats: Int = 3

        func run() throws {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            var report = BenchReport(cores: jobs)
            for n in lines {
                for name in formats {
                    guard let format = LogFormat(rawValue: name) else {
                        throw ValidationError("unknown format \(name)")
                    }
                    let path = "\(dir)/\(name)-\(n).log"
                    if !FileManager.default.fileExists(atPath: path) {
                        FileHandle.standardError.write(Data("generating \(path)\n".utf8))
                        try generate(format, lines: n, path: path, seed: 42)
                    }
                    report.rows.append(try measure(format: format, path: path, lines: n))
                }
            }
            report.lookups = try lookupBenchmark(catalogDirectory: catalog, count: 10_000_000)
            print(report.markdown())
        }

        func measure(format: LogFormat, path: String, lines: Int) throws -> BenchReport.Row {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            var row = BenchReport.Row(format: format.rawValue, parser: format.parserID, lines: lines, bytes: size)
            let json = "\(dir)/\(format.rawValue)-\(lines).json"
            var oneCore: [Measurement] = []
            var allCores: [Measurement] = []
            var mawkRuns: [Measurement] = []
            var goaccessRuns: [Measurement] = []
            let goaccess = Spawn.which("goaccess").flatMap { binary in
                Peers.goaccess(format, path: path, dir: dir).map { [binary] + $0 }
            }
            for round in 0..<max(1, repeats, goaccessRepeats) {
                if let goaccess, round < goaccessRepeats { goaccessRuns.append(Spawn.run(goaccess)) }
                guard round < max(1, repeats) else { continue }
                for jobs in [1, self.jobs] {
                    let m = Spawn.run(
                        [
                            canopy, "discover", path, "--format", format.parserID, "--jobs", String(jobs), "--output",
                            "json", "--quiet", "--data", "\(dir)/data",
                        ],
                        stdoutPath: json
                    )
                    guard m.exitStatus == 0 else {
                        throw ValidationError("canopy failed on \(path) (exit \(m.exitStatus))")
                    }
                    let records = try recordCount(json)
                    guard records >= lines * 99 / 100 else {
                        throw ValidationError("canopy parsed only \(records) of \(lines) lines of \(path)")
                    }
                    if jobs == 1 { oneCore.append(m) } else { allCores.append(m) }
                    row.records = records
                }
                if let mawk = Spawn.which("mawk"), let program = Peers.mawk(format) {
                    mawkRuns.append(Spawn.run([mawk, program, path]))
                }
            }
            row.oneCore = Measurement.best(oneCore)
            row.allCores = Measurement.best(allCores)
            row.mawk = mawkRuns.isEmpty ? nil : Measurement.best(mawkRuns)
            row.goaccess = goaccessRuns.isEmpty ? nil : Measurement.best(goaccessRuns)
            return row
        }

        func recordCount(_ path: String) throws -> Int {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            let statistics = object?["statistics"] as? [String: Any]
            return (statistics?["records"] as? Int) ?? 0
        }
    }
}

/// Writes `lines` generated lines of `format` to `path`.
func generate(_ format: LogFormat, lines: Int, path: String, seed: UInt64) throws {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    guard let handle = FileHandle(forWritingAtPath: path) else { throw ValidationError("cannot write \(path)") }
    defer { try? handle.close() }
    var workload = Workload(seed: seed, total: lines)
    var buffer = format.header
    buffer.reserveCapacity(1 << 21)
    for i in 0..<lines {
        buffer += format.line(workload.next(index: i), index: i)
        buffer += "\n"
        if buffer.utf8.count >= 1 << 20 {
            try handle.write(contentsOf: Data(buffer.utf8))
            buffer.removeAll(keepingCapacity: true)
        }
    }
    try handle.write(contentsOf: Data(buffer.utf8))
}
