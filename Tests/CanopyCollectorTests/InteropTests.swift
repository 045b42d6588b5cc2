import CanopyCollector
import CanopyCore
import CanopyDiscovery
import CanopyTesting
import Foundation
import Testing

/// Real data that nobody on this project wrote: Zeek logs of the WRCCDC 2018 capture (../shared/data) and access
/// logs written by a real Squid (started by scripts/test.sh through scripts/interop/squid-logs.sh).
@Suite struct InteropTests {
    static func report(_ paths: [String], catalog: AppCatalog) -> (DiscoveryReport, DiscoveryRunner.Result) {
        let result = DiscoveryRunner(matcher: AppMatcher(catalog: catalog), options: .init(jobs: 2)).run(paths: paths)
        let report = DiscoveryReportBuilder(
            catalog: catalog,
            settings: DiscoverySettings(),
            scorer: RiskScorer(catalog: catalog, settings: ScoringSettings(), currentYear: 2026)
        ).build(result.aggregator, sources: result.sources, generatedAt: Timestamp(secondsSinceEpoch: 0))
        return (report, result)
    }

    static var zeekData: URL? { FixturePaths.sharedData?.appendingPathComponent("zeek-wrccdc") }

    @Test(
        .enabled(if: zeekData != nil, "../shared/data is absent: the Zeek interop data comes from there (CI has it)"),
        arguments: [("zeek-default/ssl.log.gz", "zeek.ssl_tsv"), ("zeek-json/ssl.json.gz", "zeek.ssl_json")]
    )
    func zeekSSLLogsAttributeSNIsToTheirApps(file: String, parser: String) throws {
        let dir = try #require(Self.zeekData)
        let catalog = try #require(try TestCatalog.shipped())
        let (report, result) = Self.report([dir.appendingPathComponent(file).path], catalog: catalog)
        #expect(result.failures.isEmpty)
        let source = try #require(report.sources.first)
        #expect(source.parser == parser)
        #expect(source.confidence == 1)
        // Every data line is a record; only the Zeek header lines are ignored; nothing is rejected.
        #expect(source.statistics.rejectedCount == 0)
        #expect(source.statistics.records == 49_474)
        let apps = Dictionary(report.apps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // SNI counts from the file itself (`zcat ssl.log.gz | cut -f10 | sort | uniq -c`).
        // github.com, api.github.com, assets-cdn.github.com.
        #expect(apps["github"].map { $0.traffic.transactions >= 39 + 40 + 55 } == true)
        #expect(apps["youtube"].map { $0.traffic.transactions >= 49 } == true)
        #expect(apps["facebook"].map { $0.traffic.transactions >= 40 } == true)
        #expect(apps["duckduckgo"].map { $0.traffic.transactions >= 40 + 36 } == true)
        #expect(apps["google"].map { $0.traffic.transactions >= 151 } == true)
        #expect(apps["vmware"].map { $0.traffic.transactions >= 119 } == true)
        // The competition's own names are not in any catalog: they are unknown destinations.
        #expect(report.unknownDestinations.contains { $0.destination == "wrccdc.org" })
        // Connections to the competition's private servers are not apps.
        #expect(report.privateTraffic.transactions > 30_000)
    }

    @Test(.enabled(if: zeekData != nil, "../shared/data is absent (CI has it)"))
    func zeekDNSLogsAreReadCompletely() throws {
        let dir = try #require(Self.zeekData)
        let catalog = try #require(try TestCatalog.shipped())
        let (report, _) = Self.report([dir.appendingPathComponent("zeek-default/dns.log.gz").path], catalog: catalog)
        let source = try #require(report.sources.first)
        #expect(source.parser == "zeek.dns_tsv")
        #expect(source.statistics.rejectedCount == 0)
        #expect(source.statistics.records + source.statistics.ignoredCount == source.statistics.lines)
        #expect(report.apps.count > 20)
    }

    static var squidLogs: URL? {
        ProcessInfo.processInfo.environment["CANOPY_SQUID_LOGS"].map { URL(fileURLWithPath: $0) }
    }

    /// What scripts/interop/squid-logs.sh sent: user, method, host, response size, upload size.
    static func requests(_ dir: URL) throws -> [[String]] {
        try String(contentsOf: dir.appendingPathComponent("requests.tsv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
    }

    @Test(
        .enabled(if: squidLogs != nil, "set CANOPY_SQUID_LOGS: scripts/test.sh runs a real Squid first"),
        arguments: [("access-native.log", "squid.native"), ("access-combined.log", "squid.common")]
    )
    func realSquidLogsAttributeEveryRequest(file: String, parser: String) throws {
        let dir = try #require(Self.squidLogs)
        let catalog = try #require(try TestCatalog.shipped())
        let requests = try Self.requests(dir)
        let (report, result) = Self.report([dir.appendingPathComponent(file).path], catalog: catalog)
        #expect(result.failures.isEmpty)
        let source = try #require(report.sources.first)
        #expect(source.parser == parser)
        #expect(source.statistics.rejectedCount == 0)
        // Every request plus the unauthenticated readiness probe (a 407 to 127.0.0.1: private, not an app).
        #expect(source.statistics.records == requests.count + 1)
        // The native format also logs the server address (HIER_DIRECT/127.0.0.1, from Squid's hosts_file): an
        // unknown host that resolves to a private address is an internal service, not an unknown cloud app.
        let hasServerAddress = parser == "squid.native"
        #expect(report.privateTraffic.transactions == (hasServerAddress ? 2 : 1))
        #expect(report.unknownDestinations.map(\.destination) == (hasServerAddress ? [] : ["unknown-saas-example.io"]))
        let expected: [String: String] = [
            "www.dropbox.com": "dropbox", "content.dropboxapi.com": "dropbox", "app.slack.com": "slack",
            "files.slack.com": "slack", "github.com": "github", "api.github.com": "github",
            "drive.google.com": "google-drive", "docs.google.com": "google-docs", "www.box.com": "box",
            "wetransfer.com": "wetransfer", "mega.nz": "mega", "chatgpt.com": "openai", "www.facebook.com": "facebook",
            "login.microsoftonline.com": "microsoft-entra-id", "outlook.office365.com": "microsoft-exchange-online",
            "zoom.us": "zoom", "www.notion.so": "notion",
        ]
        var transactions: [String: Int64] = [:]
        var users: [String: Set<String>] = [:]
        for r in requests where r.count == 5 {
            if let app = expected[r[2]] {
                transactions[app, default: 0] += 1
                // Squid denies facebook.com before asking for credentials: that line has no user.
                if r[2] != "www.facebook.com" { users[app, default: []].insert(r[0]) }
            }
        }
        for (app, count) in transactions {
            let usage = try #require(report.apps.first { $0.id == app }, "\(app) missing from the report")
            #expect(usage.traffic.transactions == count, "\(app)")
            #expect(usage.users == users[app]?.count ?? 0, "\(app)")
        }
        #expect(report.apps.count == Set(expected.values).count)
        // Squid denied facebook.com by ACL: the only blocked request.
        #expect(report.totals.blocked == 1)
        #expect(report.apps.first { $0.id == "facebook" }?.traffic.blocked == 1)
        // Download sizes: Squid logs reply bytes (body + headers), so each is at least the body size asked for.
        let dropbox = try #require(report.apps.first { $0.id == "dropbox" })
        #expect(dropbox.traffic.bytesDown >= 20_000 + 100)
        #expect(Set(report.users.map(\.user)) == Set(requests.filter { $0[2] != "www.facebook.com" }.map { $0[0] }))
    }
}
