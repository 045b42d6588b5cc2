import CanopyTesting
import Foundation
import Testing

/// End-to-end tests of the `canopy` command-line tool: the built binary runs as a subprocess, each test with its own
/// temporary directory as working directory and `--data`, and the tests read what a security engineer relies on —
/// the JSON, CSV, HTML and table output, exit statuses, stderr, and the files canopy keeps (`discovery.yaml`,
/// `audit.log`, `anonymization.key`).
///
/// The binary is `$CANOPY_BINARY`, else `.build/debug/canopy` (built by `swift build --build-tests`).
@Suite(.serialized) struct CommandLineTests {
    /// The `USER` the subprocesses run as, so the audit file's actor can be checked.
    static let operatorName = "cli-test-operator"

    static let binary: String =
        ProcessInfo.processInfo.environment["CANOPY_BINARY"]
        ?? FixturePaths.repositoryRoot.appendingPathComponent(".build/debug/canopy").path

    // MARK: - Running canopy

    /// What one run of canopy did.
    struct Run: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String

        var description: String {
            "exit status \(status)\n--- stdout\n\(stdout.prefix(3000))\n--- stderr\n\(stderr.prefix(3000))"
        }

        /// Standard output as JSON.
        func json() throws -> Any {
            do {
                return try JSONSerialization.jsonObject(with: Data(stdout.utf8))
            } catch {
                Issue.record("stdout is not JSON: \(self)")
                throw error
            }
        }
    }

    /// A temporary directory for one test: the logs it writes, canopy's working directory, and `data/`.
    struct Workspace {
        let root: URL

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        }

        /// The data directory (`--data`); canopy creates it on first use.
        var data: String { root.appendingPathComponent("data").path }

        func path(_ name: String) -> String { root.appendingPathComponent(name).path }

        @discardableResult
        func write(_ name: String, _ text: String) throws -> String {
            let url = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(text.utf8).write(to: url)
            return url.path
        }

        func read(_ name: String) throws -> String {
            try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)
        }

        func remove() {
            try? FileManager.default.removeItem(at: root)
        }

        /// Runs canopy in this workspace (standard input from `stdin`, or empty).
        func canopy(_ arguments: [String], stdin: String? = nil) throws -> Run {
            try #require(
                FileManager.default.isExecutableFile(atPath: CommandLineTests.binary),
                "no canopy binary at \(CommandLineTests.binary): run `swift build --build-tests` or set CANOPY_BINARY"
            )
            let runs = root.appendingPathComponent(".runs")
            try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
            let id = UUID().uuidString
            let outURL = runs.appendingPathComponent("\(id).out")
            let errURL = runs.appendingPathComponent("\(id).err")
            let inURL = runs.appendingPathComponent("\(id).in")
            for url in [outURL, errURL] { try Data().write(to: url) }
            let out = try FileHandle(forWritingTo: outURL)
            let err = try FileHandle(forWritingTo: errURL)
            defer {
                try? out.close()
                try? err.close()
            }

            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
            process.arguments = arguments
            process.currentDirectoryURL = root
            var environment = ProcessInfo.processInfo.environment
            environment["CANOPY_DATA"] = nil
            environment["CANOPY_CATALOG"] = nil
            environment["SUDO_USER"] = nil
            environment["USER"] = CommandLineTests.operatorName
            process.environment = environment
            process.standardOutput = out
            process.standardError = err
            var input: FileHandle? = nil
            if let stdin {
                try Data(stdin.utf8).write(to: inURL)
                input = try FileHandle(forReadingFrom: inURL)
                process.standardInput = input
            } else {
                process.standardInput = FileHandle.nullDevice
            }
            defer { try? input?.close() }

            try process.run()
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning {
                if Date() > deadline {
                    process.terminate()
                    Issue.record("canopy \(arguments.joined(separator: " ")) did not finish in 120 s")
                    break
                }
                Thread.sleep(forTimeInterval: 0.005)
            }
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal {
                Issue.record("canopy \(arguments.joined(separator: " ")) died of signal \(process.terminationStatus)")
            }
            return Run(
                status: process.terminationStatus,
                stdout: try String(contentsOf: outURL, encoding: .utf8),
                stderr: try String(contentsOf: errURL, encoding: .utf8)
            )
        }

        /// Runs canopy and requires exit status 0.
        func canopyOK(_ arguments: [String], stdin: String? = nil) throws -> Run {
            let run = try canopy(arguments, stdin: stdin)
            #expect(run.status == 0, "canopy \(arguments.joined(separator: " ")): \(run)")
            return run
        }

        /// The audit file, one JSON object per line.
        func auditEntries() throws -> [[String: String]] {
            let text = try read("data/audit.log")
            return try text.split(separator: "\n").map { line in
                try #require(
                    try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String],
                    "audit line is not a flat JSON object: \(line)"
                )
            }
        }
    }

    // MARK: - Logs

    /// One Squid native access.log line (`%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt`).
    static func squid(
        _ second: Int,
        _ client: String,
        _ result: String,
        _ bytes: Int,
        _ method: String,
        _ url: String,
        _ user: String,
        peer: String = "HIER_DIRECT/192.0.2.80"
    ) -> String {
        "\(1_700_000_000 + second).000     42 \(client) \(result) \(bytes) \(method) \(url) \(user) \(peer) text/html"
    }

    /// Two users, three catalog apps, a denied request, a private destination, an unknown domain and, on line 6,
    /// a line that is not Squid at all.
    static let accessLog =
        [
            squid(0, "10.0.0.5", "TCP_MISS/200", 5000, "GET", "https://www.dropbox.com/home", "alice"),
            squid(1, "10.0.0.5", "TCP_TUNNEL/200", 3000, "CONNECT", "app.slack.com:443", "alice"),
            squid(2, "10.0.0.6", "TCP_MISS/200", 2000, "GET", "https://github.com/org/repo", "bob"),
            squid(
                3,
                "10.0.0.6",
                "TCP_DENIED/403",
                400,
                "GET",
                "https://www.dropbox.com/upload",
                "bob",
                peer: "HIER_NONE/-"
            ),
            squid(
                4,
                "10.0.0.6",
                "TCP_MISS/200",
                700,
                "GET",
                "http://10.1.2.3/intranet",
                "bob",
                peer: "HIER_DIRECT/10.1.2.3"
            ),
            "this line is garbage, not a proxy log",
            squid(5, "10.0.0.5", "TCP_MISS/200", 900, "GET", "https://files.unknown-vendor-xyz.example/a", "alice"),
        ].joined(separator: "\n") + "\n"

    /// The apps of a discovery report, by id.
    static func appsByID(_ report: [String: Any]) throws -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        for app in try objects(report["apps"]) { out[try #require(app["id"] as? String)] = app }
        return out
    }

    /// Every value of `key` anywhere in a JSON value.
    static func values(of key: String, in value: Any) -> [Any] {
        if let object = value as? [String: Any] {
            return object.flatMap { k, v in (k == key ? [v] : []) + values(of: key, in: v) }
        }
        if let array = value as? [Any] { return array.flatMap { values(of: key, in: $0) } }
        return []
    }

    // MARK: - discover

    @Test func discoverJSONReportsAppsUsersTrafficBlockedUnknownAndParseStatistics() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let log = try ws.write("access.log", Self.accessLog)
        let run = try ws.canopyOK(["discover", log, "--data", ws.data, "--output", "json"])
        let report = try object(run.json())
        let apps = try Self.appsByID(report)

        #expect(Set(apps.keys) == ["dropbox", "slack", "github"])
        let dropbox = try #require(apps["dropbox"])
        let dropboxTraffic = try object(dropbox["traffic"])
        #expect(number(dropboxTraffic["transactions"]) == 2)
        #expect(number(dropboxTraffic["bytesDown"]) == 5400)
        #expect(number(dropboxTraffic["blocked"]) == 1)
        #expect(number(dropbox["users"]) == 2)
        #expect(number(dropbox["sourceIPs"]) == 2)
        #expect(dropbox["category"] as? String == "cloud-storage")
        #expect(number(dropbox["score"]) != nil)
        #expect(dropbox["level"] as? String != nil)
        let slack = try object(apps["slack"])
        #expect(number(try object(slack["traffic"])["transactions"]) == 1)
        #expect(number(try object(slack["traffic"])["bytesDown"]) == 3000)
        #expect(number(slack["users"]) == 1)
        let github = try object(apps["github"])
        #expect(number(try object(github["traffic"])["bytesDown"]) == 2000)
        #expect(number(try object(github["traffic"])["blocked"]) == 0)
        #expect(number(github["users"]) == 1)

        let totals = try object(report["totals"])
        #expect(number(totals["apps"]) == 3)
        #expect(number(totals["users"]) == 2)
        #expect(number(totals["sourceIPs"]) == 2)
        #expect(number(totals["transactions"]) == 4)
        #expect(number(totals["bytesDown"]) == 10_400)
        #expect(number(totals["blocked"]) == 1)
        #expect(number(totals["unknownDestinations"]) == 1)

        let users = try objects(report["users"])
        #expect(Set(users.compactMap { $0["user"] as? String }) == ["alice", "bob"])
        let bob = try #require(users.first { $0["user"] as? String == "bob" })
        #expect(number(try object(bob["traffic"])["blocked"]) == 1)

        let unknown = try objects(report["unknownDestinations"])
        #expect(unknown.count == 1)
        #expect(unknown.first?["destination"] as? String == "unknown-vendor-xyz.example")
        #expect(number(try object(unknown.first?["traffic"])["bytesDown"]) == 900)
        #expect(number(try object(report["privateTraffic"])["transactions"]) == 1)
        #expect(number(try object(report["privateTraffic"])["bytesDown"]) == 700)

        // Parse statistics: the garbage line is rejected with its reason and line number, nothing vanishes.
        let sources = try objects(report["sources"])
        #expect(sources.count == 1)
        #expect(sources.first?["parser"] as? String == "squid.native")
        #expect((sources.first?["name"] as? String)?.hasSuffix("access.log") == true)
        let confidence = try #require(number(sources.first?["confidence"]))
        #expect(abs(confidence - 6.0 / 7.0) < 0.001)
        let statistics = try object(report["statistics"])
        #expect(number(statistics["lines"]) == 7)
        #expect(number(statistics["records"]) == 6)
        let rejected = try object(statistics["rejected"], "rejected lines are keyed by reason")
        #expect(Array(rejected.keys) == ["not-this-format"])
        let tally = try object(rejected["not-this-format"])
        #expect(number(tally["count"]) == 1)
        let first = try objects(tally["firstLines"])
        #expect(first.count == 1)
        #expect(number(first.first?["line"]) == 6)
        #expect((first.first?["source"] as? String)?.hasSuffix("access.log") == true)

        // Times are real record times: an empty group (a risk level with no apps) has no first/last seen.
        let times = (Self.values(of: "firstSeen", in: report) + Self.values(of: "lastSeen", in: report))
            .compactMap { number($0) }
        #expect(!times.isEmpty)
        #expect(times.allSatisfy { (1_700_000_000_000...1_700_000_005_000).contains($0) }, "\(times)")
        for level in try objects(report["riskLevels"]) where number(level["apps"]) == 0 {
            #expect(try object(level["traffic"])["firstSeen"] == nil)
        }
        #expect(report["firstSeen"] as? String == "2023-11-14T22:13:20.000Z")
    }

    @Test func datasourceAddListAndRemoveWorkOnTheStoreAndRefuseBadSources() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let added = try ws.canopyOK([
            "datasource", "add", "--data", "data", "--name", "hq-squid", "--format", "squid.native", "--transport",
            "tcp", "--port", "5514", "--output", "json",
        ])
        let source = try #require(
            try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any]
        )
        #expect(source["name"] as? String == "hq-squid")
        #expect(source["createdBy"] as? String == CommandLineTests.operatorName)
        _ = try ws.canopyOK([
            "datasource", "add", "--data", "data", "--name", "drop", "--format", "squid.native", "--transport",
            "folder", "--path", "incoming",
        ])
        for bad in [
            ["--name", "hq-squid", "--transport", "udp", "--port", "5515"],  // name taken
            ["--name", "other", "--transport", "tls", "--port", "5514"],  // TCP port taken
            ["--name", "other", "--transport", "tcp"],  // no port
            ["--name", "other", "--transport", "carrier-pigeon", "--port", "1"],
        ] {
            let run = try ws.canopy(["datasource", "add", "--data", "data", "--format", "squid.native"] + bad)
            #expect(run.status != 0, "\(bad)")
            #expect(!run.stderr.isEmpty, "\(bad)")
        }
        let list = try ws.canopyOK(["datasource", "list", "--data", "data", "--output", "json"])
        let items = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(items.compactMap { ($0["source"] as? [String: Any])?["name"] as? String } == ["hq-squid", "drop"])
        #expect(items.allSatisfy { $0["status"] as? String == "waiting" })
        let folder = try #require((items.last?["source"] as? [String: Any])?["path"] as? String)
        #expect(folder.hasPrefix("/") && folder.hasSuffix("/incoming"))
        #expect(try ws.canopyOK(["datasource", "list", "--data", "data"]).stdout.contains("tcp/5514"))
        _ = try ws.canopyOK(["datasource", "remove", "--data", "data", "1"])
        #expect(try ws.canopy(["datasource", "remove", "--data", "data", "1"]).status == 1)
        let after = try ws.canopyOK(["datasource", "list", "--data", "data", "--output", "json"])
        #expect(!after.stdout.contains("hq-squid"))
    }

    @Test func discoverCSVHasAHeaderAndOneRowPerApp() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let log = try ws.write("access.log", Self.accessLog)
        let run = try ws.canopyOK(["discover", log, "--data", ws.data, "--output", "csv", "--section", "apps"])
        let lines = run.stdout.split(whereSeparator: \.isNewline).map(String.init)  // RFC 4180: CRLF
        #expect(lines.count == 4, "\(run)")
        let header = try #require(lines.first).split(separator: ",").map(String.init)
        #expect(header.first == "app_id")
        #expect(header.contains("transactions"))
        #expect(header.contains("bytes_down"))
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.allSatisfy { $0.count == header.count })
        #expect(Set(rows.compactMap(\.first)) == ["dropbox", "slack", "github"])
        let dropbox = try #require(rows.first { $0.first == "dropbox" })
        let column = { (name: String) in header.firstIndex(of: name).map { dropbox[$0] } }
        #expect(column("transactions") == "2")
        #expect(column("bytes_down") == "5400")
        #expect(column("users") == "2")
        #expect(column("blocked") == "1")
    }

    @Test func discoverHTMLIsOneFileWithChartsAndNoScript() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        // A user name that is markup: the page must show it escaped, never run it.
        let hostile = Self.squid(
            6,
            "10.0.0.7",
            "TCP_MISS/200",
            10,
            "GET",
            "https://github.com/x",
            "<script>alert(1)</script>"
        )
        let log = try ws.write("access.log", Self.accessLog + hostile + "\n")
        let page = ws.path("report.html")
        let run = try ws.canopyOK(["discover", log, "--data", ws.data, "--output", "html", "--out", page])
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("report.html"))
        let html = try ws.read("report.html")
        #expect(html.contains("<svg"))
        #expect(!html.lowercased().contains("<script"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("Content-Security-Policy"))
        #expect(!html.contains("<link") && !html.contains("src=") && !html.contains("url("), "no external assets")
        for name in ["Dropbox", "Slack", "GitHub"] { #expect(html.contains(name)) }
    }

    @Test func discoverTableNamesTheAppsAndTheFormat() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let log = try ws.write("access.log", Self.accessLog)
        let run = try ws.canopyOK(["discover", log, "--data", ws.data, "--quiet"])
        for text in ["Dropbox", "Slack", "GitHub", "unknown-vendor-xyz.example", "squid.native", "not-this-format"] {
            #expect(run.stdout.contains(text), "table lacks \(text)")
        }
        #expect(run.stdout.contains("access.log:6"), "the rejected line's location")
    }

    @Test func discoverWithTheWrongFormatParsesNothingAndExits1() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let log = try ws.write("access.log", Self.accessLog)
        let run = try ws.canopy([
            "discover", log, "--data", ws.data, "--format", "paloalto.traffic", "--output", "json",
        ])
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("no traffic records were parsed"))
        #expect(run.stderr.contains("paloalto.traffic"))
        #expect(run.stderr.contains("not-this-format"))
        let unknown = try ws.canopy(["discover", log, "--data", ws.data, "--format", "no.such.format"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown format 'no.such.format'"))
    }

    @Test func discoverOfRandomTextExits1AndNamesTheClosestFormats() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let words = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit"]
        let text = (0..<30).map { i in
            (0..<9).map { j in words[(i * 7 + j * 3) % words.count] }.joined(separator: " ")
        }.joined(separator: "\n")
        let file = try ws.write("notes.txt", text + "\n")
        let run = try ws.canopy(["discover", file, "--data", ws.data])
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("notes.txt"))
        #expect(run.stderr.contains("closest formats: "))
        #expect(run.stderr.contains("--format"))
    }

    @Test func discoverWithAMissingInputExits2ButStillReports() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let log = try ws.write("access.log", Self.accessLog)
        let missing = ws.path("missing.log")
        let run = try ws.canopy(["discover", missing, log, "--data", ws.data, "--output", "json"])
        #expect(run.status == 2, "\(run)")
        #expect(run.stderr.contains("missing.log"))
        #expect(run.stderr.lowercased().contains("no such file"))
        let report = try object(run.json())
        #expect(Set(try Self.appsByID(report).keys) == ["dropbox", "slack", "github"])
    }

    @Test func discoverReadsStandardInputAndGzip() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let fromStdin = try ws.canopyOK(
            ["discover", "-", "--data", ws.data, "--output", "json"],
            stdin: Self.accessLog
        )
        let stdinReport = try object(fromStdin.json())
        #expect(Set(try Self.appsByID(stdinReport).keys) == ["dropbox", "slack", "github"])
        #expect(try objects(stdinReport["sources"]).first?["parser"] as? String == "squid.native")
        #expect(number(try object(stdinReport["totals"])["transactions"]) == 4)

        let log = try ws.write("access.log", Self.accessLog)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-kf", log]
        try gzip.run()
        gzip.waitUntilExit()
        try #require(gzip.terminationStatus == 0)
        let compressed = ws.path("access.log.gz")
        let fromGzip = try ws.canopyOK(["discover", compressed, "--data", ws.data, "--output", "json"])
        let gzipReport = try object(fromGzip.json())
        #expect(Set(try Self.appsByID(gzipReport).keys) == ["dropbox", "slack", "github"])
        #expect(try objects(gzipReport["sources"]).first?["parser"] as? String == "squid.native")
        #expect(number(try object(gzipReport["totals"])["bytesDown"]) == 10_400)
        #expect(number(try object(gzipReport["statistics"])["lines"]) == 7)
    }

    // MARK: - Anonymization

    /// Runs an anonymized discovery and returns the report and its user tokens.
    static func anonymizedReport(_ ws: Workspace, log: String) throws -> (Run, [String: Any], [String]) {
        let run = try ws.canopyOK(["discover", log, "--data", ws.data, "--anonymize", "--output", "json"])
        let report = try object(run.json())
        let tokens = try objects(report["users"]).compactMap { $0["user"] as? String }
        return (run, report, tokens)
    }

    @Test func anonymizeHidesUserNamesWithStableTokens() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let log = try ws.write("access.log", Self.accessLog)
        let (run, report, tokens) = try Self.anonymizedReport(ws, log: log)
        #expect(report["anonymized"] as? Bool == true)
        #expect(tokens.count == 2)
        #expect(Set(tokens).count == 2, "distinct users keep distinct tokens")
        #expect(tokens.allSatisfy { $0.hasPrefix("anon-") })
        for name in ["alice", "bob"] { #expect(!run.stdout.contains(name), "JSON leaks \(name)") }
        #expect(number(try object(report["totals"])["users"]) == 2)

        let keyAttributes = try FileManager.default.attributesOfItem(atPath: ws.path("data/anonymization.key"))
        let mode =
            (keyAttributes[.posixPermissions] as? NSNumber)?.intValue ?? (keyAttributes[.posixPermissions] as? Int)
        #expect(mode == 0o600, "the key is readable by its owner only")

        let (_, _, again) = try Self.anonymizedReport(ws, log: log)
        #expect(again == tokens, "the same user gets the same token in every run")

        let page = ws.path("report.html")
        _ = try ws.canopyOK(["discover", log, "--data", ws.data, "--anonymize", "--output", "html", "--out", page])
        let html = try ws.read("report.html")
        for name in ["alice", "bob"] { #expect(!html.contains(name), "HTML leaks \(name)") }
        #expect(tokens.allSatisfy { html.contains($0) })
        let csv = try ws.canopyOK([
            "discover", log, "--data", ws.data, "--anonymize", "--output", "csv", "--section", "users",
        ])
        for name in ["alice", "bob"] { #expect(!csv.stdout.contains(name), "CSV leaks \(name)") }
    }

    @Test func deanonymizeResolvesATokenAndAuditsWhoWhyAndNotTheName() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let log = try ws.write("access.log", Self.accessLog)
        let (_, report, _) = try Self.anonymizedReport(ws, log: log)
        // bob is the only user with a blocked request.
        var bobToken: String? = nil
        for user in try objects(report["users"]) where number(try object(user["traffic"])["blocked"]) == 1 {
            bobToken = user["user"] as? String
        }
        let bob = try #require(bobToken)
        let justification = "incident 4711: blocked upload, approved by the CISO"
        let run = try ws.canopyOK(["deanonymize", bob, "--justification", justification, "--data", ws.data])
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "bob")
        let json = try ws.canopyOK([
            "deanonymize", bob, "--justification", justification, "--data", ws.data, "-o", "json",
        ])
        #expect(try object(json.json())["name"] as? String == "bob")

        let audit = try ws.auditEntries()
        #expect(audit.count == 2)
        let entry = try #require(audit.first)
        #expect(entry["action"] == "deanonymize")
        #expect(entry["token"] == bob)
        #expect(entry["justification"] == justification)
        #expect(entry["result"] == "resolved")
        #expect(entry["actor"] == Self.operatorName)
        #expect(entry["time"]?.isEmpty == false)
        #expect(!(try ws.read("data/audit.log")).contains("bob"), "the audit file never holds the resolved name")
    }

    @Test func deanonymizeRefusesAShortJustification() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let log = try ws.write("access.log", Self.accessLog)
        let (_, _, tokens) = try Self.anonymizedReport(ws, log: log)
        let token = try #require(tokens.first)
        let run = try ws.canopy(["deanonymize", token, "--justification", "why", "--data", ws.data])
        #expect(run.status != 0)
        #expect(run.stderr.contains("justification"))
        #expect(!run.stdout.contains("alice") && !run.stdout.contains("bob"))
        let missing = try ws.canopy(["deanonymize", token, "--data", ws.data])
        #expect(missing.status != 0)
        #expect(!missing.stdout.contains("alice") && !missing.stdout.contains("bob"))
    }

    @Test func aTokenFromAnotherDataDirectoryIsNotResolvedAndTheAttemptIsAudited() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let log = try ws.write("access.log", Self.accessLog)
        let (_, _, tokens) = try Self.anonymizedReport(ws, log: log)
        let token = try #require(tokens.first)
        let justification = "checking an old report"

        // Another tenant with its own key.
        let other = ws.path("other-data")
        _ = try ws.canopyOK(["discover", log, "--data", other, "--anonymize", "--output", "json"])
        let run = try ws.canopy(["deanonymize", token, "--justification", justification, "--data", other])
        #expect(run.status != 0)
        #expect(!run.stdout.contains("alice") && !run.stdout.contains("bob"))
        #expect(run.stderr.contains(token))
        let audit = try ws.read("other-data/audit.log").split(separator: "\n")
        #expect(audit.count == 1)
        let entry = try #require(
            try JSONSerialization.jsonObject(with: Data((audit.last ?? "").utf8)) as? [String: String]
        )
        #expect(entry["action"] == "deanonymize")
        #expect(entry["token"] == token)
        #expect(entry["justification"] == justification)
        #expect(entry["result"] == "not-resolved")

        // A data directory that never anonymized anything: refused, and the attempt is on record too.
        let empty = ws.path("empty-data")
        let none = try ws.canopy(["deanonymize", token, "--justification", justification, "--data", empty])
        #expect(none.status != 0)
        #expect(none.stderr.contains("no anonymization key"))
        let emptyAudit = try ws.read("empty-data/audit.log").split(separator: "\n")
        #expect(emptyAudit.count == 1)
        let noKey = try #require(
            try JSONSerialization.jsonObject(with: Data((emptyAudit.last ?? "").utf8)) as? [String: String]
        )
        #expect(noKey["action"] == "deanonymize")
        #expect(noKey["token"] == token)
        #expect(noKey["justification"] == justification)
        #expect(noKey["result"] != "resolved")
        #expect(!FileManager.default.fileExists(atPath: ws.path("empty-data/anonymization.key")), "no key is made")
    }

    // MARK: - catalog

    /// `catalog show APP --output json`.
    static func show(_ ws: Workspace, _ app: String) throws -> [String: Any] {
        try object(try ws.canopyOK(["catalog", "show", app, "--data", ws.data, "--output", "json"]).json())
    }

    @Test func catalogShowExplainsTheScoreFactorByFactorWithSources() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let detail = try Self.show(ws, "dropbox")
        #expect(try object(detail["app"])["id"] as? String == "dropbox")
        #expect(detail["level"] as? String == "low")
        let risk = try object(detail["risk"])
        let score = try #require(number(risk["score"]))
        #expect((0...10).contains(score))
        #expect(number(risk["computedScore"]) == score)
        let groups = try objects(risk["groups"])
        #expect(groups.compactMap { $0["group"] as? String } == ["general", "security", "compliance", "legal"])
        let factors = try groups.flatMap { try objects($0["factors"]) }
        #expect(factors.count > 50)
        #expect(factors.allSatisfy { $0["attribute"] is String && $0["weight"] is String && $0["counted"] != nil })
        let counted = factors.filter { ($0["counted"] as? Bool) == true || number($0["counted"]) == 1 }
        #expect(counted.count >= 5)
        let sources = factors.compactMap { $0["source"] as? String }
        #expect(sources.count >= 5)
        #expect(sources.allSatisfy { $0.hasPrefix("https://") })
        let compliance = try objects(try #require(groups.first { $0["group"] as? String == "compliance" })["factors"])
        let soc2 = try #require(compliance.first { $0["attribute"] as? String == "soc2" })
        #expect(number(soc2["score"]) == 10)
        #expect((soc2["source"] as? String)?.hasPrefix("https://") == true)

        let table = try ws.canopyOK(["catalog", "show", "dropbox", "--data", ws.data])
        #expect(table.stdout.contains("Dropbox (dropbox)"))
        #expect(table.stdout.contains("Risk score: "))
        for group in ["General", "Security", "Compliance", "Legal"] {
            #expect(table.stdout.contains("\(group) — group score"), "table lacks the \(group) group score")
        }
        #expect(table.stdout.contains("https://"))
    }

    @Test func catalogSearchListAndValidate() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let found = try objects(
            try ws.canopyOK(["catalog", "search", "storage", "--data", ws.data, "-o", "json"]).json()
        )
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0["id"] is String && $0["name"] is String && $0["category"] is String })
        #expect(found.contains { $0["category"] as? String == "cloud-storage" })
        #expect(found.contains { $0["id"] as? String == "dropbox" })

        let storage = try objects(
            try ws.canopyOK(["catalog", "list", "--category", "cloud-storage", "--data", ws.data, "-o", "json"]).json()
        )
        #expect(storage.count >= 5)
        #expect(storage.allSatisfy { $0["category"] as? String == "cloud-storage" })

        let validate = try ws.canopyOK(["catalog", "validate", "--data", ws.data])
        #expect(validate.stdout.hasPrefix("catalog OK"), "\(validate)")
    }

    @Test func sanctioningTagsAppsInTheSettingsAndTheAuditFile() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        _ = try ws.canopyOK(["catalog", "unsanction", "mega", "wetransfer", "--data", ws.data])
        let listed = try objects(
            try ws.canopyOK(["catalog", "list", "--tag", "unsanctioned", "--data", ws.data, "-o", "json"]).json()
        )
        #expect(listed.compactMap { $0["id"] as? String } == ["mega", "wetransfer"])
        #expect(listed.allSatisfy { ($0["tags"] as? [String]) == ["unsanctioned"] })

        let settings = try ws.read("data/discovery.yaml")
        #expect(settings.contains("mega:"))
        #expect(settings.contains("wetransfer:"))
        #expect(settings.contains("- unsanctioned"))
        let unsanction = try #require(try ws.auditEntries().last)
        #expect(unsanction["action"] == "catalog.unsanction")
        #expect(unsanction["apps"] == "mega,wetransfer")
        #expect(unsanction["actor"] == Self.operatorName)

        _ = try ws.canopyOK(["catalog", "sanction", "mega", "--data", ws.data])
        #expect(try Self.show(ws, "mega")["tags"] as? [String] == ["sanctioned"])
        let still = try objects(
            try ws.canopyOK(["catalog", "list", "--tag", "unsanctioned", "--data", ws.data, "-o", "json"]).json()
        )
        #expect(still.compactMap { $0["id"] as? String } == ["wetransfer"])
        #expect(try ws.auditEntries().last?["action"] == "catalog.sanction")

        let unknownApp = try ws.canopy(["catalog", "unsanction", "no-such-app-xyz", "--data", ws.data])
        #expect(unknownApp.status != 0)
        #expect(unknownApp.stderr.contains("no-such-app-xyz"))

        // Tags show in the discovery report.
        let log = try ws.write("access.log", Self.accessLog)
        _ = try ws.canopyOK(["catalog", "sanction", "dropbox", "--data", ws.data])
        let report = try object(try ws.canopyOK(["discover", log, "--data", ws.data, "-o", "json"]).json())
        #expect(try Self.appsByID(report)["dropbox"]?["tags"] as? [String] == ["sanctioned"])
    }

    @Test func scoreOverrideKeepsTheComputedScoreAndRejectsOutOfRange() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let before = try object(try Self.show(ws, "box")["risk"])
        let computed = try #require(number(before["computedScore"]))
        #expect(computed > 5)

        _ = try ws.canopyOK(["catalog", "override", "box", "--score", "3", "--note", "x", "--data", ws.data])
        let detail = try Self.show(ws, "box")
        let risk = try object(detail["risk"])
        #expect(number(risk["score"]) == 3)
        #expect(number(risk["computedScore"]) == computed)
        let override = try object(risk["override"])
        #expect(number(override["score"]) == 3)
        #expect(override["note"] as? String == "x")
        #expect(detail["level"] as? String == "high")
        let audit = try #require(try ws.auditEntries().last)
        #expect(audit["action"] == "catalog.override")
        #expect(audit["app"] == "box")
        #expect(audit["note"] == "x")

        let tooHigh = try ws.canopy(["catalog", "override", "box", "--score", "11", "--note", "x", "--data", ws.data])
        #expect(tooHigh.status != 0)
        #expect(tooHigh.stderr.contains("--score"))
        let noNote = try ws.canopy(["catalog", "override", "box", "--score", "4", "--data", ws.data])
        #expect(noNote.status != 0)
        #expect(noNote.stderr.contains("--note"))
        #expect(number(try object(try Self.show(ws, "box")["risk"])["score"]) == 3, "refused changes are not saved")

        _ = try ws.canopyOK(["catalog", "override", "box", "--clear", "--data", ws.data])
        let cleared = try object(try Self.show(ws, "box")["risk"])
        #expect(number(cleared["score"]) == computed)
        #expect(cleared["override"] == nil)
    }

    /// The documented total: the group scores averaged with weights ignored/low/medium/high/very-high = 0/1/2/4/8.
    static func recomputedTotal(_ risk: [String: Any]) throws -> Double? {
        let weights = ["ignored": 0.0, "low": 1, "medium": 2, "high": 4, "very-high": 8]
        var sum = 0.0
        var weight = 0.0
        for group in try objects(risk["groups"]) {
            guard let score = number(group["score"]), let w = weights[group["weight"] as? String ?? ""] else {
                continue
            }
            sum += score * w
            weight += w
        }
        return weight == 0 ? nil : sum / weight
    }

    @Test func groupWeightsAndUnknownValuesChangeScores() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let before = try object(try Self.show(ws, "dropbox")["risk"])
        let beforeScore = try #require(number(before["computedScore"]))
        #expect(before["unknownValues"] as? String == "ignore")
        let beforeTotal = try #require(try Self.recomputedTotal(before))
        #expect(abs(beforeTotal - beforeScore) < 0.051)

        _ = try ws.canopyOK(["catalog", "weight", "compliance", "very-high", "--data", ws.data])
        let weighted = try object(try Self.show(ws, "dropbox")["risk"])
        let compliance = try #require(try objects(weighted["groups"]).first { $0["group"] as? String == "compliance" })
        #expect(compliance["weight"] as? String == "very-high")
        let weightedScore = try #require(number(weighted["computedScore"]))
        #expect(weightedScore != beforeScore)
        let weightedTotal = try #require(try Self.recomputedTotal(weighted))
        #expect(abs(weightedTotal - weightedScore) < 0.051)
        #expect(try ws.read("data/discovery.yaml").contains("very-high"))
        #expect(try ws.auditEntries().last?["action"] == "catalog.weight")

        _ = try ws.canopyOK(["catalog", "weight", "--unknown", "penalize", "--data", ws.data])
        let penalized = try object(try Self.show(ws, "dropbox")["risk"])
        #expect(penalized["unknownValues"] as? String == "penalize")
        let penalizedScore = try #require(number(penalized["computedScore"]))
        #expect(penalizedScore < weightedScore - 1, "dropbox has many unknown attributes; counted as 0 they cost")

        let bad = try ws.canopy(["catalog", "weight", "compliance", "enormous", "--data", ws.data])
        #expect(bad.status != 0)
        let unknownName = try ws.canopy(["catalog", "weight", "no-such-attribute", "high", "--data", ws.data])
        #expect(unknownName.status != 0)
        #expect(unknownName.stderr.contains("no-such-attribute"))
    }

    @Test func customAppsMatchTheirDomainsAndIPRanges() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        _ = try ws.canopyOK([
            "catalog", "custom-app", "add", "acme-erp", "--name", "ACME ERP", "--category", "business-management",
            "--domain", "erp.acme.example", "--ip-range", "203.0.113.0/24", "--score", "9", "--data", ws.data,
        ])
        let shown = try Self.show(ws, "acme-erp")
        #expect(try object(shown["app"])["name"] as? String == "ACME ERP")
        #expect(number(try object(shown["risk"])["score"]) == 9)

        let log = try ws.write(
            "erp.log",
            [
                Self.squid(0, "10.0.0.5", "TCP_MISS/200", 1000, "GET", "https://erp.acme.example/orders", "alice"),
                Self.squid(1, "10.0.0.6", "TCP_TUNNEL/200", 2000, "CONNECT", "203.0.113.5:443", "bob"),
                Self.squid(2, "10.0.0.6", "TCP_MISS/200", 300, "GET", "https://www.acme.example/", "bob"),
            ].joined(separator: "\n") + "\n"
        )
        let report = try object(try ws.canopyOK(["discover", log, "--data", ws.data, "-o", "json"]).json())
        let apps = try Self.appsByID(report)
        #expect(Array(apps.keys) == ["acme-erp"])
        let erp = try #require(apps["acme-erp"])
        #expect(number(try object(erp["traffic"])["transactions"]) == 2)
        #expect(number(try object(erp["traffic"])["bytesDown"]) == 3000)
        #expect(number(erp["users"]) == 2)
        #expect(number(erp["score"]) == 9)
        #expect(erp["category"] as? String == "business-management")
        // The rule is erp.acme.example, not acme.example: the sibling host stays unknown.
        #expect(
            try objects(report["unknownDestinations"]).compactMap { $0["destination"] as? String } == ["acme.example"]
        )

        let badCategory = try ws.canopy([
            "catalog", "custom-app", "add", "acme-crm", "--name", "ACME CRM", "--category", "no-such-category",
            "--domain", "crm.acme.example", "--data", ws.data,
        ])
        #expect(badCategory.status != 0, "\(badCategory)")
        #expect(!(try ws.read("data/discovery.yaml")).contains("acme-crm"))
    }

    // MARK: - blocklist

    @Test func blocklistsHoldTheUnsanctionedAppsDomains() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        _ = try ws.canopyOK(["catalog", "unsanction", "mega", "wetransfer", "--data", ws.data])
        let squid = try ws.canopyOK(["blocklist", "--format", "squid", "--data", ws.data])
        let rules = squid.stdout.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(rules.contains(".mega.nz"))
        #expect(rules.contains(".wetransfer.com"))
        #expect(rules.allSatisfy { $0.hasPrefix(".") && !$0.contains(" ") }, "\(rules)")
        #expect(!rules.contains { $0.contains("dropbox") })

        let file = ws.path("blocked.txt")
        _ = try ws.canopyOK(["blocklist", "--format", "domains", "--out", file, "--data", ws.data])
        let domains = try ws.read("blocked.txt")
        #expect(domains.contains("mega.nz"))
        #expect(domains.contains("wetransfer.com"))

        _ = try ws.canopyOK(["catalog", "sanction", "mega", "--data", ws.data])
        let after = try ws.canopyOK(["blocklist", "--format", "squid", "--data", ws.data])
        #expect(!after.stdout.contains(".mega.nz"))
        #expect(after.stdout.contains(".wetransfer.com"))

        let formats = try objects(try ws.canopyOK(["blocklist", "--list-formats", "--output", "json"]).json())
        #expect(formats.count == 9)
        #expect(
            Set(formats.compactMap { $0["id"] as? String })
                == [
                    "squid", "paloalto-edl", "fortigate", "bluecoat", "zscaler", "cisco-asa", "juniper-srx", "domains",
                    "rpz",
                ]
        )
        #expect(formats.allSatisfy { ($0["usage"] as? String)?.isEmpty == false })

        let unknown = try ws.canopy(["blocklist", "--format", "iptables", "--data", ws.data])
        #expect(unknown.status != 0)
        #expect(unknown.stdout.isEmpty)
        #expect(unknown.stderr.contains("unknown format 'iptables'"))
    }

    // MARK: - formats and help

    @Test func discoverFormatsListsEveryFormatWithASample() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let formats = try objects(try ws.canopyOK(["discover", "formats", "--output", "json"]).json())
        #expect(formats.count >= 40)
        let ids = formats.compactMap { $0["id"] as? String }
        #expect(ids.count == formats.count)
        #expect(Set(ids).count == ids.count, "format ids are unique")
        for id in ["squid.native", "paloalto.traffic", "zscaler.nss_csv", "generic.cef"] where !ids.contains(id) {
            Issue.record("discover formats lacks \(id)")
        }
        for format in formats {
            let sample = format["sample"] as? String ?? ""
            #expect(!sample.trimmingCharacters(in: .whitespaces).isEmpty, "\(format["id"] ?? "?") has no sample")
            #expect((format["product"] as? String)?.isEmpty == false)
        }
        let table = try ws.canopyOK(["discover", "formats"])
        #expect(table.stdout.contains("squid.native"))
        #expect(table.stdout.contains("\(formats.count) formats"))
    }

    @Test func helpExplainsTheOutputOption() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        for arguments in [
            ["--help"], ["discover", "--help"], ["discover", "run", "--help"], ["catalog", "list", "--help"],
        ] {
            let run = try ws.canopyOK(arguments)
            #expect(
                run.stdout.contains("--output"),
                "canopy \(arguments.joined(separator: " ")) does not mention --output"
            )
        }
        let discover = try ws.canopyOK(["discover", "--help"])
        #expect(discover.stdout.contains("canopy discover"))
        #expect(discover.stdout.contains("formats"))
    }

    // MARK: - Custom parsers

    static let acmeParser = """
        id: acme.gateway
        name: ACME secure gateway
        type: csv
        csv:
          delimiter: ";"
          header: true
        fields:
          time: when
          timeFormat: "%Y-%m-%d %H:%M:%S"
          sourceIP: client
          user: login
          destinationHost: site
          bytesUp: sent
          bytesDown: received
          action: verdict
        blockedValues: [blocked]

        """

    static let acmeLog = """
        when;client;login;site;sent;received;verdict
        2024-03-01 10:00:00;10.0.0.5;carol;www.dropbox.com;100;2000;allowed
        2024-03-01 10:01:00;10.0.0.6;dave;github.com;300;4000;allowed
        2024-03-01 10:02:00;10.0.0.6;dave;www.dropbox.com;50;0;BLOCKED

        """

    static func checkACMEReport(_ run: Run) throws {
        let report = try object(run.json())
        #expect(try objects(report["sources"]).first?["parser"] as? String == "acme.gateway")
        let apps = try Self.appsByID(report)
        #expect(Set(apps.keys) == ["dropbox", "github"])
        let dropbox = try object(try object(apps["dropbox"])["traffic"])
        #expect(number(dropbox["transactions"]) == 2)
        #expect(number(dropbox["bytesUp"]) == 150)
        #expect(number(dropbox["bytesDown"]) == 2000)
        #expect(number(dropbox["blocked"]) == 1)
        #expect(number(dropbox["firstSeen"]) == 1_709_287_200_000)
        #expect(number(try object(try object(apps["github"])["traffic"])["bytesUp"]) == 300)
        #expect(Set(try objects(report["users"]).compactMap { $0["user"] as? String }) == ["carol", "dave"])
        #expect(number(try object(report["statistics"])["records"]) == 3)
    }

    @Test func aCustomParserFromParserOptionIsDetected() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let parser = try ws.write("acme.yaml", Self.acmeParser)
        let log = try ws.write("acme.csv", Self.acmeLog)
        try Self.checkACMEReport(
            try ws.canopyOK(["discover", log, "--parser", parser, "--data", ws.data, "-o", "json"])
        )
        // Without the definition no built-in format reads it.
        let without = try ws.canopy(["discover", log, "--data", ws.data, "-o", "json"])
        #expect(without.status == 1, "\(without)")
    }

    @Test func aCustomParserInTheDataDirectoryJoinsDetection() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("data/parsers/acme.yaml", Self.acmeParser)
        let log = try ws.write("acme.csv", Self.acmeLog)
        try Self.checkACMEReport(try ws.canopyOK(["discover", log, "--data", ws.data, "-o", "json"]))
        // It does not take over other logs.
        let squid = try ws.write("access.log", Self.accessLog)
        let report = try object(try ws.canopyOK(["discover", squid, "--data", ws.data, "-o", "json"]).json())
        #expect(try objects(report["sources"]).first?["parser"] as? String == "squid.native")
        // And it can be forced by id.
        let forced = try ws.canopyOK(["discover", log, "--data", ws.data, "--format", "acme.gateway", "-o", "json"])
        try Self.checkACMEReport(forced)
    }

    @Test func anInvalidCustomParserIsRefusedWithEveryProblem() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let log = try ws.write("acme.csv", Self.acmeLog)
        let invalid = try ws.write(
            "bad.yaml",
            """
            id: Bad Parser
            type: csv
            csv: { delimiter: ";;" }
            fields: { user: login, timeFormat: "%Q" }

            """
        )
        let run = try ws.canopy(["discover", log, "--parser", invalid, "--data", ws.data, "-o", "json"])
        #expect(run.status != 0)
        #expect(run.stdout.isEmpty)
        for problem in ["bad.yaml", "id:", "time", "destinationHost", "csv.delimiter", "timeFormat", "login"] {
            #expect(run.stderr.contains(problem), "stderr does not name \(problem): \(run.stderr)")
        }

        let notYAML = try ws.write("broken.yaml", "id: [acme\n")
        let broken = try ws.canopy(["discover", log, "--parser", notYAML, "--data", ws.data])
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("broken.yaml"))

        let builtinID = try ws.write(
            "squid.yaml",
            Self.acmeParser.replacingOccurrences(of: "id: acme.gateway", with: "id: squid.native")
        )
        let clash = try ws.canopy(["discover", log, "--parser", builtinID, "--data", ws.data])
        #expect(clash.status != 0)
        #expect(clash.stderr.contains("built-in"))

        let missing = try ws.canopy(["discover", log, "--parser", ws.path("nope.yaml"), "--data", ws.data])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("nope.yaml"))
    }
}

// MARK: - JSON helpers

private func object(_ value: Any?, _ comment: Comment? = nil) throws -> [String: Any] {
    try #require(value as? [String: Any], comment)
}

private func objects(_ value: Any?) throws -> [[String: Any]] {
    try #require(value as? [[String: Any]])
}

/// A JSON number (JSONSerialization gives NSNumber on Linux, Int or Double elsewhere).
private func number(_ value: Any?) -> Double? {
    if let n = value as? NSNumber { return n.doubleValue }
    if let i = value as? Int { return Double(i) }
    return value as? Double
}
