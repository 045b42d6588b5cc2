import CanopyCore
import CanopyDiscovery
import CanopyTesting
import Foundation
import Testing

@Suite struct DiscoveryReportTests {
    let catalog = TestCatalog.small()

    /// Squid native lines covering apps, users, IPs, a block, private and unknown destinations.
    static let log = """
        1700000000.000 10 10.0.0.5 TCP_MISS/200 1000 GET https://www.dropbox.com/a alice HIER_DIRECT/1.1.1.1 -
        1700000060.000 10 10.0.0.5 TCP_MISS/200 3000 GET https://dl.dropboxapi.com/b alice HIER_DIRECT/1.1.1.1 -
        1700000120.000 10 10.0.0.6 TCP_DENIED/403 50 GET https://www.dropbox.com/c bob HIER_NONE/- -
        1700086400.000 10 10.0.0.6 TCP_MISS/200 500 GET https://teams.microsoft.com/x bob HIER_DIRECT/2.2.2.2 -
        1700086460.000 10 10.0.0.7 TCP_MISS/200 700 GET https://portal.new-saas.io/x <script>alert(1)</script> HIER_DIRECT/3.3.3.3 -
        1700086520.000 10 10.0.0.7 TCP_MISS/200 900 GET http://10.20.30.40/intranet - HIER_DIRECT/10.20.30.40 -
        not a line
        """

    func report(pseudonymize: (@Sendable (String) -> String)? = nil) -> DiscoveryReport {
        var aggregator = DiscoveryAggregator(matcher: AppMatcher(catalog: catalog))
        var ingest = InputIngest(source: "test.log", context: ParseContext())
        Array(Self.log.utf8).withUnsafeBufferPointer { ingest.feed($0, into: &aggregator) }
        ingest.finish(into: &aggregator)
        let source = DiscoveryReport.Source(
            name: "test.log",
            parser: "squid.native",
            confidence: 1,
            statistics: ingest.statistics
        )
        var settings = DiscoverySettings()
        settings.tag("dropbox", with: "sanctioned")
        return DiscoveryReportBuilder(
            catalog: catalog,
            settings: settings,
            scorer: RiskScorer(catalog: catalog, settings: settings.scoring, currentYear: 2026),
            pseudonymize: pseudonymize
        ).build(aggregator, sources: [source], generatedAt: Timestamp(secondsSinceEpoch: 1_800_000_000))
    }

    @Test func aggregatesAppsUsersAndTraffic() throws {
        let r = report()
        #expect(r.totals.apps == 2)
        let dropbox = try #require(r.apps.first { $0.id == "dropbox" })
        #expect(dropbox.traffic.bytesDown == 4050)
        #expect(dropbox.traffic.transactions == 3)
        #expect(dropbox.traffic.blocked == 1)
        #expect(dropbox.users == 2)
        #expect(dropbox.sourceIPs == 2)
        #expect(dropbox.tags == ["sanctioned"])
        #expect(dropbox.level == .low)
        let teams = try #require(r.apps.first { $0.id == "microsoft-teams" })
        #expect(teams.categoryName == "Online meeting")
        #expect(r.unknownDestinations.map(\.destination) == ["new-saas.io"])
        #expect(r.privateTraffic.transactions == 1)
        #expect(r.days.count == 2)
        #expect(r.statistics.rejectedCount == 1)
        #expect(r.statistics.records == 6)
        #expect(r.firstSeen == "2023-11-14T22:13:20.000Z")
    }

    @Test func everyRendererEscapesHostileNames() throws {
        let r = report()
        let html = r.renderHTML()
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("http://") && !html.contains("https://"), "no external assets")
        #expect(html.contains("<svg"))
        let csv = r.renderCSV(.users)
        #expect(csv.contains("<script>alert(1)</script>"))  // CSV is data; quoting rules apply, not HTML escaping.
        #expect(CSV.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSV.field("-5") == "-5")
        let table = r.renderTable()
        #expect(table.contains("Dropbox"))
        #expect(table.contains("rejected"))
        let json = Golden.json(r)
        #expect(json.contains("\"anonymized\" : false"))
    }

    @Test func anonymizationReplacesEveryUserName() throws {
        guard let anonymizer = Anonymizer(keyData: Data(repeating: 7, count: 32)) else {
            Issue.record("no anonymizer")
            return
        }
        let r = report(pseudonymize: { anonymizer.token(for: $0) })
        #expect(r.anonymized)
        let names = r.users.map(\.user)
        #expect(!names.contains("alice") && !names.contains("bob"))
        #expect(names.allSatisfy { $0.hasPrefix("anon-") })
        let json = Golden.json(r)
        #expect(!json.contains("alice"))
        #expect(!r.renderHTML().contains("alice"))
        // Deterministic, reversible, key-bound.
        let token = anonymizer.token(for: "CORP\\alice")
        #expect(anonymizer.token(for: "CORP\\alice") == token)
        #expect(anonymizer.token(for: "CORP\\alicf") != token)
        #expect(anonymizer.name(for: token) == "CORP\\alice")
        let other = try #require(Anonymizer(keyData: Data(repeating: 8, count: 32)))
        #expect(other.name(for: token) == nil)
        #expect(anonymizer.name(for: "anon-notbase32!") == nil)
        #expect(anonymizer.name(for: "anon-aaaa") == nil)
        // Token length does not reveal the name's length (names up to 15 bytes give the same length).
        #expect(anonymizer.token(for: "al").count == anonymizer.token(for: "maximilian.x").count)
        #expect(anonymizer.name(for: anonymizer.token(for: "")) == "")
        #expect(
            anonymizer.name(for: anonymizer.token(for: String(repeating: "z", count: 16)))
                == String(repeating: "z", count: 16)
        )
    }

    @Test func mergingAggregatorsEqualsOneAggregator() {
        let matcher = AppMatcher(catalog: catalog)
        let lines = Self.log.split(separator: "\n").map(String.init)
        var whole = DiscoveryAggregator(matcher: matcher)
        var first = DiscoveryAggregator(matcher: matcher)
        var second = DiscoveryAggregator(matcher: matcher)
        for (i, line) in lines.enumerated() {
            var parser = SquidNativeParser()
            guard case .record(let r) = parser.parse(string: line) else { continue }
            whole.add(r)
            if i % 2 == 0 { first.add(r) } else { second.add(r) }
        }
        // Merge in reverse so interned ids differ from the single pass.
        second.merge(first)
        let builder = DiscoveryReportBuilder(
            catalog: catalog,
            settings: DiscoverySettings(),
            scorer: RiskScorer(catalog: catalog, settings: ScoringSettings(), currentYear: 2026)
        )
        let t = Timestamp(secondsSinceEpoch: 0)
        #expect(builder.build(whole, sources: [], generatedAt: t) == builder.build(second, sources: [], generatedAt: t))
    }

    @Test func registrableDomainsGroupUnknownHosts() {
        #expect(RegistrableDomain.of("a.b.example.co.uk") == "example.co.uk")
        #expect(RegistrableDomain.of("portal.new-saas.io") == "new-saas.io")
        #expect(RegistrableDomain.of("198.51.100.4") == "198.51.100.4")
        #expect(RegistrableDomain.of("localhost") == "localhost")
    }
}
