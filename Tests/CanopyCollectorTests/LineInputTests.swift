import CanopyCollector
import CanopyCore
import CanopyDiscovery
import CanopyTesting
import Foundation
import Testing
import ZIPFoundation

/// Inputs of every kind (plain, .gz, .zip, directories) give the same report, in constant memory, and a file split
/// across cores gives the same result as one pass.
@Suite struct LineInputTests {
    static func squidLines(_ count: Int, start: Int = 0) -> String {
        let hosts = [
            "www.dropbox.com", "teams.microsoft.com", "login.microsoft.com", "unknown.example.org", "10.1.1.1",
        ]
        var out = ""
        for i in start..<(start + count) {
            let host = hosts[i % hosts.count]
            out +=
                "\(1_700_000_000 + i).000 5 10.0.\(i % 7).\(i % 200) TCP_MISS/200 \(100 + i) GET https://\(host)/p\(i) "
            out += "user\(i % 13) HIER_DIRECT/1.2.3.4 text/html\n"
        }
        return out
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func run(_ paths: [String], jobs: Int = 1, threshold: Int64 = 16 << 20) -> DiscoveryRunner.Result {
        DiscoveryRunner(
            matcher: AppMatcher(catalog: TestCatalog.small()),
            options: DiscoveryRunner.Options(jobs: jobs, splitThreshold: threshold)
        ).run(paths: paths)
    }

    static func summary(_ r: DiscoveryRunner.Result) -> [String] {
        let report = DiscoveryReportBuilder(
            catalog: TestCatalog.small(),
            settings: DiscoverySettings(),
            scorer: RiskScorer(catalog: TestCatalog.small(), settings: ScoringSettings(), currentYear: 2026)
        ).build(r.aggregator, sources: [], generatedAt: Timestamp(secondsSinceEpoch: 0))
        return report.apps.map {
            "\($0.id) \($0.traffic.transactions) \($0.traffic.bytesDown) \($0.users) \($0.sourceIPs)"
        }
            + report.unknownDestinations.map { "\($0.destination) \($0.traffic.transactions)" }
            + ["private \(report.privateTraffic.transactions)"]
    }

    func gzip(_ path: URL) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["gzip", "-kf", path.path]
        try p.run()
        p.waitUntilExit()
    }

    @Test func plainGzipZipAndDirectoryInputsAgree() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("access.log")
        try Self.squidLines(3000).write(to: plain, atomically: true, encoding: .utf8)
        try gzip(plain)
        let reference = Self.summary(Self.run([plain.path]))
        #expect(reference.count > 3)
        #expect(Self.summary(Self.run([plain.path + ".gz"])) == reference)

        // A zip holding the log in two parts, one of them gzipped.
        let partA = dir.appendingPathComponent("zipsrc/a.log")
        let partB = dir.appendingPathComponent("zipsrc/b.log")
        try FileManager.default.createDirectory(
            at: partA.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        try Self.squidLines(1000).write(to: partA, atomically: true, encoding: .utf8)
        try Self.squidLines(2000, start: 1000).write(to: partB, atomically: true, encoding: .utf8)
        try gzip(partB)
        try FileManager.default.removeItem(at: partB)
        let zip = dir.appendingPathComponent("logs.zip")
        try FileManager.default.zipItem(at: partA.deletingLastPathComponent(), to: zip, shouldKeepParent: false)
        let zipped = Self.run([zip.path])
        #expect(zipped.sources.count == 2)
        #expect(zipped.failures.isEmpty)
        #expect(Self.summary(zipped) == reference)

        // A directory of the two parts.
        #expect(Self.summary(Self.run([partA.deletingLastPathComponent().path])) == reference)
    }

    @Test func splittingAcrossCoresGivesTheSameReportAndLineNumbers() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("big.log")
        var text = Self.squidLines(20_000)
        text += "garbage line that no parser reads\n"
        text += Self.squidLines(5000, start: 20_000)
        try text.write(to: file, atomically: true, encoding: .utf8)
        let single = Self.run([file.path])
        let split = Self.run([file.path], jobs: 4, threshold: 1)
        #expect(Self.summary(split) == Self.summary(single))
        let s1 = try #require(single.sources.first).statistics
        let s4 = try #require(split.sources.first).statistics
        #expect(s4.lines == s1.lines && s4.records == s1.records)
        #expect(s4.rejected == s1.rejected)
        #expect(s1.rejected.values.first?.firstLines.first?.line == 20_001)
    }

    @Test func missingCorruptAndUnknownInputsAreReportedNotFatal() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.log")
        try Self.squidLines(50).write(to: good, atomically: true, encoding: .utf8)
        let badGzip = dir.appendingPathComponent("bad.gz")
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02, 0x03, 0x04, 0xFF, 0xFF, 0xFF]).write(to: badGzip)
        let noise = dir.appendingPathComponent("noise.txt")
        try String(repeating: "lorem ipsum dolor sit amet\n", count: 30).write(
            to: noise,
            atomically: true,
            encoding: .utf8
        )
        let result = Self.run([good.path, dir.appendingPathComponent("missing.log").path, badGzip.path, noise.path])
        #expect(result.sources.map(\.name) == [good.path])
        let reasons = result.failures.map(\.source)
        #expect(reasons.contains(dir.appendingPathComponent("missing.log").path))
        #expect(reasons.contains(badGzip.path))
        let unknown = try #require(result.failures.first { $0.source == noise.path })
        #expect(!unknown.closestFormats.isEmpty)
    }
}
