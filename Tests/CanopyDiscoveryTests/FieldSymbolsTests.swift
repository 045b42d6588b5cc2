import CanopyCore
import CanopyDiscovery
import CanopyTesting
import Testing

/// The symbol tables a sink's records are parsed with: they change no record and no report, only what it costs.
@Suite struct FieldSymbolsTests {
    /// Applies `host` and `user` to a fresh record, through `symbols` when given.
    static func record(
        host: String,
        user: String? = nil,
        percentEncoded: Bool = false,
        symbols: FieldSymbols?
    )
        -> TrafficRecord
    {
        var r = TrafficRecord()
        r.symbols.tables = symbols?.tables
        var h = Array(host.utf8)
        h.withUnsafeMutableBufferPointer { r.apply(host: Bytes($0)) }
        if var u = user.map({ Array($0.utf8) }) {
            u.withUnsafeMutableBufferPointer { buffer in
                if percentEncoded { r.apply(percentEncodedUser: Bytes(buffer)) } else { r.apply(user: Bytes(buffer)) }
            }
        }
        r.symbols.tables = nil
        return r
    }

    static let hosts = [
        "www.dropbox.com", "WWW.Dropbox.COM", "www.dropbox.com.", " teams.microsoft.com ", "10.1.2.3", "[2001:db8::1]",
        "2001:db8::2", "-", "", "n/a", "intranet", "bücher.example", "xn--bcher-kva.example", "a",
        "a-very-long-host-name"
            + ".with.many.labels.example.co.uk",
    ]

    @Test func namesReadWithATableAreTheNamesReadWithout() {
        let symbols = FieldSymbols()
        for round in 0..<2 {
            for host in Self.hosts {
                let plain = Self.record(host: host, user: "DOMAIN\\\(host)", symbols: nil)
                let interned = Self.record(host: host, user: "DOMAIN\\\(host)", symbols: symbols)
                #expect(interned == plain, "\(host), round \(round)")
                #expect(interned.destinationHost == plain.destinationHost && interned.user == plain.user)
                // Names get a symbol; IP literals and placeholders do not.
                #expect((interned.symbols.host >= 0) == (plain.destinationHost != nil), "\(host)")
                if interned.symbols.host >= 0 { #expect(symbols.host(interned.symbols.host) == plain.destinationHost) }
                #expect(interned.symbols.user >= 0 && symbols.user(interned.symbols.user) == plain.user)
            }
        }
        // The same bytes get the same symbol; other casings their own symbol for the same name.
        let a = Self.record(host: "www.dropbox.com", symbols: symbols)
        let b = Self.record(host: "www.dropbox.com", symbols: symbols)
        let c = Self.record(host: "WWW.Dropbox.COM", symbols: symbols)
        #expect(a.symbols.host == b.symbols.host && a.symbols.host != c.symbols.host)
        #expect(a.destinationHost == c.destinationHost)
        #expect(
            symbols.counts.hosts == Set(Self.hosts.map { Self.record(host: $0, symbols: symbols).symbols.host }).count
                - 1
        )
    }

    @Test func assigningAFieldDropsItsSymbol() {
        let symbols = FieldSymbols()
        var r = Self.record(host: "www.dropbox.com", user: "alice", symbols: symbols)
        #expect(r.symbols.host >= 0 && r.symbols.user >= 0)
        r.destinationHost = "other.example"
        #expect(r.symbols.host == RecordSymbols.none && r.symbols.user >= 0)
        r.user = nil
        #expect(r.symbols.user == RecordSymbols.none)
    }

    @Test func percentEncodedUsersAreDecodedAndThoseWithEscapesAreNotInterned() {
        let symbols = FieldSymbols()
        let escaped = Self.record(host: "x.example", user: "CORP%5Calice", percentEncoded: true, symbols: symbols)
        #expect(escaped.user == "CORP\\alice" && escaped.symbols.user == RecordSymbols.none)
        let plain = Self.record(host: "x.example", user: "bob", percentEncoded: true, symbols: symbols)
        #expect(plain.user == "bob" && plain.symbols.user >= 0)
    }

    @Test func aFullTableBuildsPlainStringsAndKeepsWhatItHas() {
        let symbols = FieldSymbols(limit: 2, byteLimit: 1 << 10)
        let first = Self.record(host: "one.example", symbols: symbols)
        _ = Self.record(host: "two.example", symbols: symbols)
        let third = Self.record(host: "Three.Example", symbols: symbols)
        #expect(third.destinationHost == "three.example" && third.symbols.host == RecordSymbols.none)
        #expect(Self.record(host: "one.example", symbols: symbols).symbols.host == first.symbols.host)
        let bytes = FieldSymbols(limit: 100, byteLimit: 15)
        #expect(Self.record(host: "fifteen.example", symbols: bytes).symbols.host >= 0)
        #expect(Self.record(host: "b.example", symbols: bytes).symbols.host == RecordSymbols.none)
    }

    @Test func everyNameKeepsItsSymbolAsTheTableGrows() {
        let symbols = FieldSymbols()
        var random = SplitMix64(seed: 11)
        let names = (0..<20_000).map { i in "h\(i)-\(random.below(1_000_000)).example" }
        let first = names.map { Self.record(host: $0, symbols: symbols).symbols.host }
        #expect(Set(first).count == names.count && !first.contains(RecordSymbols.none))
        let again = names.map { Self.record(host: $0, symbols: symbols).symbols.host }
        #expect(again == first)
        #expect(symbols.counts.hosts == names.count)
        for (name, id) in zip(names, first) where id % 997 == 0 { #expect(symbols.host(id) == name) }
    }

    /// Squid lines over the test catalog, with hosts in several casings, IP destinations, users with and without
    /// escapes, and one line without a host.
    static func squidLog(_ count: Int) -> [UInt8] {
        let hosts = [
            "www.dropbox.com", "WWW.DROPBOX.COM", "teams.microsoft.com", "x.new-saas.io", "cdn.other-site.net",
            "intranet", "198.51.100.7", "10.0.0.9", "only.example.net",
        ]
        var random = SplitMix64(seed: 5)
        var text = ""
        for i in 0..<count {
            let host = hosts[random.below(hosts.count)]
            let user =
                random.below(8) == 0
                ? "-" : (random.below(5) == 0 ? "CORP%5Cu\(random.below(30))" : "u\(random.below(30))")
            let result = random.below(20) == 0 ? "TCP_DENIED/403" : "TCP_MISS/200"
            let url = random.below(3) == 0 ? "\(host):443" : "https://\(host)/p/\(i)"
            let method = url.hasPrefix("https") ? "GET" : "CONNECT"
            text += "\(1_700_000_000 + i * 37).123 12 10.0.0.\(random.below(40)) \(result) \(random.below(90_000)) "
            text += "\(method) \(url) \(user) HIER_DIRECT/203.0.113.\(random.below(9)) text/html\n"
        }
        text += "1700000000.000 1 10.0.0.1 TCP_MISS/200 10 GET / - HIER_NONE/- -\n"
        return Array(text.utf8)
    }

    @Test func theReportIsTheSameWithSymbolsWithoutThemAndWithAFullTable() throws {
        let catalog = TestCatalog.small()
        let matcher = AppMatcher(catalog: catalog)
        let data = Self.squidLog(4_000)
        let parser = try #require(BuiltinParsers.factories.first { $0.descriptor.id == "squid.native" })
        func ingest(_ symbols: FieldSymbols) -> DiscoveryAggregator {
            var aggregator = DiscoveryAggregator(matcher: matcher, symbols: symbols)
            var ingest = InputIngest(source: "t", context: ParseContext(capturesDetail: false), parser: parser)
            data.withUnsafeBufferPointer { all in
                var start = 0
                while start < all.count {
                    let end = min(all.count, start + 997)
                    ingest.feed(all.sub(start..<end), into: &aggregator)
                    start = end
                }
            }
            ingest.finish(into: &aggregator)
            return aggregator
        }
        // Without symbols: the records one by one, as the store's path and tests add them.
        var plain = DiscoveryAggregator(matcher: matcher)
        for line in ParserRun.run(SquidNativeParser.self, data: data).records { plain.add(line.record) }
        let builder = AggregationTablesTests.builder(catalog)
        let t = Timestamp(secondsSinceEpoch: 0)
        let reference = builder.build(plain, sources: [], generatedAt: t)
        #expect(reference.totals.transactions > 2_500, "\(reference.totals.transactions)")
        #expect(reference.apps.count >= 3, "\(reference.apps.map(\.id))")
        let full = FieldSymbols()
        #expect(builder.build(ingest(full), sources: [], generatedAt: t) == reference)
        #expect(full.counts.hosts >= 6 && full.counts.users >= 30)
        // A table that fills up after a few names: records with and without symbols mixed.
        #expect(
            builder.build(ingest(FieldSymbols(limit: 4, byteLimit: 1 << 10)), sources: [], generatedAt: t) == reference
        )
    }
}
