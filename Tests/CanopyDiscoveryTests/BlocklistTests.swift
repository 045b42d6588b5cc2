import CanopyCore
import CanopyDiscovery
import CanopyTesting
import Foundation
import Testing

/// Block-list generators: registry ↔ fixture folders, golden output per format for a fixed sample and for an empty
/// list, validation of hostile input, the de-duplication Squid needs, and the real checkers (`squid -k parse`,
/// `named-checkzone`) on the generated files.
@Suite struct BlocklistTests {
    static let ids = BuiltinBlocklists.all.map { $0.descriptor.id }
    static let context = BlocklistContext(name: "canopy_unsanctioned", generatedAt: "2025-01-02T03:04:05Z")
    static let fixtures = FixturePaths.discoveryFixtures.appendingPathComponent("_blocklists")

    /// The comment marker each format uses for its header; nil for formats that allow no comments.
    static let commentMarker: [String: String?] = [
        "squid": "#", "paloalto-edl": nil, "fortigate": "#", "bluecoat": ";", "zscaler": nil, "cisco-asa": "!",
        "juniper-srx": "#", "domains": nil, "rpz": ";",
    ]

    static func sampleEntries() throws -> [BlocklistEntry] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("sample.json"))
        return try JSONDecoder().decode([BlocklistEntry].self, from: data)
    }

    static func render(_ id: String, _ entries: [BlocklistEntry], context: BlocklistContext = context) throws -> String
    {
        let generator = try #require(BuiltinBlocklists.named(id))
        return generator.render(entries, context: context)
    }

    static func expectGolden(_ actual: String, _ id: String, _ name: String) {
        let url = fixtures.appendingPathComponent(id).appendingPathComponent(name)
        if let problem = Golden.compare(actual, with: url) { Issue.record(Comment(rawValue: problem)) }
    }

    // MARK: - Registry

    @Test func registryIDsAreUniqueWellFormedAndHaveFixtures() throws {
        #expect(Set(Self.ids).count == Self.ids.count, "duplicate block-list ids")
        for id in Self.ids {
            let allowed =
                !id.isEmpty && id.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
            #expect(allowed, "block-list id \(id) must be lowercase letters, digits and '-'")
            #expect(Self.commentMarker.keys.contains(id), "no comment marker listed for \(id)")
            #expect(BuiltinBlocklists.named(id)?.descriptor.id == id)
        }
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path)
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".json") }
        #expect(Set(folders) == Set(Self.ids), "fixture folders \(folders.sorted()) ≠ registered formats")
        #expect(BuiltinBlocklists.named("no-such-format") == nil)
    }

    // MARK: - Golden output

    @Test(arguments: ids)
    func sampleMatchesGolden(id: String) throws {
        Self.expectGolden(try Self.render(id, try Self.sampleEntries()), id, "sample.expected.txt")
    }

    @Test(arguments: ids)
    func emptyListMatchesGolden(id: String) throws {
        let output = try Self.render(id, [])
        Self.expectGolden(output, id, "empty.expected.txt")
        if Self.commentMarker[id] == .some(nil) {
            #expect(output.isEmpty, "\(id) has no comment syntax, so an empty list is an empty file")
        }
        // Entries whose every value is invalid give the same output as no entries (apart from the dropped count).
        let invalid = [BlocklistEntry(appID: "bad", appName: "Bad", domains: ["not valid"], hosts: ["also bad"])]
        let fromInvalid = try Self.render(id, invalid)
        let strip = { (text: String) in
            text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("invalid") }
        }
        #expect(strip(fromInvalid) == strip(output))
    }

    @Test func outputIsDeterministicAndIndependentOfEntryOrder() throws {
        let entries = try Self.sampleEntries()
        for id in Self.ids {
            #expect(try Self.render(id, entries) == Self.render(id, entries.reversed()), "\(id) depends on entry order")
        }
    }

    // MARK: - Validation

    @Test(arguments: [
        ("Example.COM", "example.com"), ("example.com.", "example.com"), ("bücher.example", "xn--bcher-kva.example"),
        ("a-b.c0.io", "a-b.c0.io"), ("xn--80ak6aa92e.com", "xn--80ak6aa92e.com"),
    ])
    func validationKeepsAndNormalizesHostnames(input: String, expected: String) {
        #expect(BlocklistRules.normalizedHostname(input) == expected)
    }

    @Test(arguments: [
        "", "localhost", "com", "a b.com", "evil.com\nhttp_access allow all", "\"quoted\".com", "x.com;", "x.com\r",
        "-lead.com", "trail-.com", "a..b.com", ".", "under_score.com", "192.168.1.1", "1.2.3.4.5", "http://x.com",
        "x.com/path", "x.com:443", "*.x.com", "a.*.com", String(repeating: "a", count: 64) + ".com",
        (0..<130).map { _ in "a" }.joined(separator: "."), "tab\t.com", "nul\u{0}.com", "url.domain=x.com",
    ])
    func validationDropsInvalidHostnames(input: String) {
        #expect(BlocklistRules.normalizedHostname(input) == nil, "accepted \(input.debugDescription)")
    }

    @Test func validationAcceptsWildcardPrefixesOnlyForDomainRules() {
        #expect(BlocklistRules.normalizedHostname("*.example.com", allowWildcard: true) == "example.com")
        #expect(BlocklistRules.normalizedHostname(".example.com", allowWildcard: true) == "example.com")
        #expect(BlocklistRules.normalizedHostname("*.example.com") == nil)
        #expect(BlocklistRules.normalizedHostname("**.example.com", allowWildcard: true) == nil)
    }

    @Test func validatedEntryDropsBadValuesAndCanonicalizesRanges() {
        let entry = BlocklistEntry(
            appID: "x",
            appName: "X",
            domains: ["ok.com", "bad one.com", "OK.com"],
            hosts: ["h.ok.net", "h\"x.net"],
            ipRanges: ["10.1.2.3/8", "10.0.0.0/8\nfoo", "0.0.0.0/0", "2001:DB8::/32", "300.1.1.1/8", "1.2.3.4"]
        )
        let valid = BlocklistRules.validated(entry)
        #expect(valid.domains == ["ok.com"])
        #expect(valid.hosts == ["h.ok.net"])
        #expect(valid.ipRanges == ["1.2.3.4/32", "10.0.0.0/8", "2001:db8::/32"])
        #expect(BlocklistRules([entry]).droppedCount == 5)
    }

    @Test(arguments: ids)
    func hostileInputNeverReachesTheOutputUnescaped(id: String) throws {
        let hostile = [
            BlocklistEntry(
                appID: "evil\nPWNED-id",
                appName: "Evil \"PWNED\"\r\n<Proxy> allow ; set action allow",
                domains: ["evil.com\nPWNED.com", "PWNED .com", "\"PWNED\".com", "PWNED.com;", "ok-evil.com"],
                hosts: ["x.com\r\nPWNED", "PWNED\".x.com", "url.domain=PWNED.com"],
                ipRanges: ["10.0.0.0/8 PWNED", "PWNED"]
            )
        ]
        let clean = [BlocklistEntry(appID: "evil", appName: "Evil", domains: ["ok-evil.com"])]
        let output = try Self.render(id, hostile)
        #expect(!output.contains("\r"))
        #expect(!output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0.value >= 0x7F })
        let marker = Self.commentMarker[id] ?? nil
        for line in output.split(separator: "\n") where line.contains("PWNED") {
            // The app name and id may only appear, reduced to safe text, in comment lines.
            #expect(marker.map { line.hasPrefix($0) } ?? false, "\(id) wrote hostile text outside a comment: \(line)")
        }
        #expect(output.contains("ok-evil.com"), "\(id) lost the valid domain of the hostile entry")
        if marker == nil {
            #expect(output == (try Self.render(id, clean)))
        }
        // A hostile list name is reduced to letters, digits, '_' and '-'.
        let named = try Self.render(
            id,
            clean,
            context: BlocklistContext(name: "x\" y\nset action allow", generatedAt: "2025\n\"now\"")
        )
        #expect(!named.contains("x\""))
        #expect(!named.contains("set action allow"))
        for line in named.split(separator: "\n") where line.contains("now") {
            #expect(marker.map { line.hasPrefix($0) } ?? false, "\(id) wrote the generation time outside a comment")
        }
    }

    // MARK: - De-duplication

    @Test func rulesDropEntriesCoveredByABroaderRule() {
        let rules = BlocklistRules([
            BlocklistEntry(
                appID: "a",
                appName: "A",
                domains: ["a.b.example.com", "example.com"],
                hosts: ["example.com"]
            ),
            BlocklistEntry(
                appID: "b",
                appName: "B",
                domains: ["b.example.com", "other.org"],
                hosts: ["deep.x.other.org", "exact.net", "www.exact.net"]
            ),
            BlocklistEntry(appID: "c", appName: "C", domains: ["sub.exact.net"], hosts: ["exact.net"]),
        ])
        #expect(rules.suffixes == ["example.com", "other.org", "sub.exact.net"])
        // An exact host above a suffix rule is kept: Squid accepts `exact.net` next to `.sub.exact.net`.
        #expect(rules.exactHosts == ["exact.net", "www.exact.net"])
        #expect(rules.apps.map(\.id) == ["a", "b", "c"])
    }

    @Test func rpzResponseIPTriggersFollowTheDraft() throws {
        let entries = [
            BlocklistEntry(
                appID: "ip",
                appName: "IP",
                domains: [],
                ipRanges: [
                    "127.0.0.1/32", "192.0.2.0/24", "2001:db8::/32", "::1/128", "2001:db8:0:1::/64", "1:0:0:2::/64",
                ]
            )
        ]
        let lines = try Self.render("rpz", entries).split(separator: "\n").filter { $0.contains("rpz-ip") }
        #expect(
            lines == [
                "32.1.0.0.127.rpz-ip CNAME .", "24.0.2.0.192.rpz-ip CNAME .", "128.1.zz.rpz-ip CNAME .",
                "64.zz.2.0.0.1.rpz-ip CNAME .", "32.zz.db8.2001.rpz-ip CNAME .", "64.zz.1.0.db8.2001.rpz-ip CNAME .",
            ]
        )
    }

    // MARK: - Real checkers

    /// The path of an installed executable, searched in PATH and the sbin directories.
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-blocklist-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Entries whose domains overlap across apps in every way Squid 5 rejects (a domain and its subdomain, a host
    /// equal to or under a domain), in an order that puts subdomains first.
    static func overlappingEntries() -> [BlocklistEntry] {
        var entries: [BlocklistEntry] = []
        for i in 0..<40 {
            let base = "app\(i % 7).example"
            entries.append(
                BlocklistEntry(
                    appID: "app\(i)",
                    appName: "App \(i)",
                    domains: ["x\(i).a.\(base)", "a.\(base)", i % 3 == 0 ? base : "z\(i).\(base)"],
                    hosts: ["\(base)", "www.x\(i).a.\(base)", "solo\(i).example.net", "solo\(i / 2).example.net"]
                )
            )
        }
        return entries
    }

    // The squid binary is not part of the package; skip (saying why) when Debian's `squid` package is missing.
    @Test(.enabled(if: executable("squid") != nil, "squid is not installed (Debian: apt-get install -y squid)"))
    func squidParsesTheGeneratedACLFile() throws {
        let squid = try #require(Self.executable("squid"))
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases: [(String, [BlocklistEntry])] = [
            ("sample", try Self.sampleEntries()), ("empty", []), ("overlap", Self.overlappingEntries()),
        ]
        for (label, entries) in cases {
            let list = directory.appendingPathComponent("\(label).acl")
            let text = try Self.render("squid", entries)
            try text.write(to: list, atomically: true, encoding: .utf8)
            // The usage snippet from the header, pointed at this file.
            let snippet = text.split(separator: "\n")
                .filter { $0.hasPrefix("#   acl ") || $0.hasPrefix("#   http_access ") }
                .map { $0.dropFirst(4).replacingOccurrences(of: "/etc/squid/canopy_unsanctioned.txt", with: list.path) }
            #expect(snippet.contains { $0.hasPrefix("acl canopy_unsanctioned dstdomain \"\(list.path)\"") })
            let config = directory.appendingPathComponent("\(label).conf")
            try
                (snippet + [
                    "http_access deny all",
                    "http_port 127.0.0.1:3128",
                    "cache_log \(directory.path)/cache.log",
                    "access_log \(directory.path)/access.log",
                    "pid_filename \(directory.path)/squid.pid",
                    "coredump_dir \(directory.path)",
                ]).joined(separator: "\n").appending("\n").write(to: config, atomically: true, encoding: .utf8)
            let result = try Self.run(squid, ["-k", "parse", "-f", config.path])
            #expect(result.status == 0, "squid -k parse failed for \(label):\n\(result.output)")
            #expect(
                !result.output.contains("subdomain"),
                "squid complained about overlaps in \(label):\n\(result.output)"
            )
            #expect(!result.output.contains("FATAL") && !result.output.contains("ERROR"), "\(label):\n\(result.output)")
        }
    }

    // named-checkzone comes with Debian's `bind9-utils`; skip (saying why) when it is missing.
    @Test(
        .enabled(if: executable("named-checkzone") != nil, "named-checkzone is not installed (Debian: bind9-utils)")
    )
    func namedCheckzoneAcceptsTheRPZZone() throws {
        let checker = try #require(Self.executable("named-checkzone"))
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases: [(String, [BlocklistEntry])] = [
            ("sample", try Self.sampleEntries()), ("empty", []), ("overlap", Self.overlappingEntries()),
        ]
        for (label, entries) in cases {
            let zone = directory.appendingPathComponent("\(label).zone")
            try Self.render("rpz", entries).write(to: zone, atomically: true, encoding: .utf8)
            let result = try Self.run(checker, ["-k", "fail", "-i", "full", "rpz.canopy", zone.path])
            #expect(result.status == 0, "named-checkzone failed for \(label):\n\(result.output)")
            #expect(result.output.contains("OK"), "\(label):\n\(result.output)")
        }
    }
}
