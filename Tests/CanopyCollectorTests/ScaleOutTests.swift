import CanopyStore
import CanopyTesting
import Foundation
import Testing

/// Scale-out: two `canopy serve` processes on one PostgreSQL database serve the same data. A change made through one
/// (an app sanctioned, a password and a setting changed, a sign-in) is visible through the other within a second.
///
/// Runs where scripts/test.sh started its throw-away cluster (`CANOPY_TEST_POSTGRES_PORT`); CI always has it.
@Suite(.serialized) struct ScaleOutTests {
    static var postgresPort: Int? {
        ProcessInfo.processInfo.environment["CANOPY_TEST_POSTGRES_PORT"].flatMap(Int.init)
    }

    struct HTTPAnswer {
        var status: Int
        var headers: [String: [String]]
        var body: String

        func header(_ name: String) -> String? { headers[name.lowercased()]?.first }
        func cookie(_ name: String) -> String? {
            headers["set-cookie"]?.first { $0.hasPrefix(name + "=") }?.split(separator: ";")[0]
                .split(separator: "=", maxSplits: 1).last.map(String.init)
        }
    }

    /// One request with curl (no redirects followed).
    static func http(
        _ method: String,
        _ url: String,
        headers: [String] = [],
        form: String? = nil
    ) throws -> HTTPAnswer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        var arguments = ["-s", "-i", "-X", method, url]
        for header in headers { arguments += ["-H", header] }
        if let form { arguments += ["-H", "Content-Type: application/x-www-form-urlencoded", "--data-raw", form] }
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        var lines = head.components(separatedBy: "\r\n")
        let status = lines.isEmpty ? 0 : Int(lines.removeFirst().split(separator: " ")[1]) ?? 0
        var fields: [String: [String]] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased(), default: []].append(
                line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            )
        }
        return HTTPAnswer(status: status, headers: fields, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    static func hidden(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: #"name="\#(name)" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map {
            "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }

    /// Polls `condition` until it holds; returns the seconds it took, or nil after `timeout`.
    static func within(_ timeout: Double, _ condition: () throws -> Bool) rethrows -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < timeout {
            if try condition() { return Date().timeIntervalSince(start) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    @Test(.enabled(if: postgresPort != nil, "needs CANOPY_TEST_POSTGRES_PORT (scripts/test.sh starts a cluster)"))
    func twoNodesOnOnePostgreSQLServeTheSameData() async throws {
        let port = try #require(Self.postgresPort)
        let binary = CommandLineTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "no canopy binary at \(binary)")
        let name = "canopy_scale_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        let admin = PostgresStore.Admin(
            configuration: try DatabaseURL("postgres://postgres@127.0.0.1:\(port)/postgres").configuration()
        )
        try await admin.execute("CREATE DATABASE \(name) TEMPLATE template0")
        let url = "postgres://postgres@127.0.0.1:\(port)/\(name)"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-scale-\(UUID().uuidString)")
        var nodes: [Process] = []
        defer {
            for node in nodes where node.isRunning { node.terminate() }
            try? FileManager.default.removeItem(at: dir)
        }

        func start(_ node: String) throws -> (Process, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.currentDirectoryURL = FixturePaths.repositoryRoot
            process.arguments = ["serve", "--data", dir.path + "/" + node, "--port", "0", "--database", url]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            let reader = ServeCommandTests.OutputReader(out)
            try process.run()
            nodes.append(process)
            #expect(reader.waitFor("listening on http://127.0.0.1:"), "\(reader.all)")
            return (process, reader.all)
        }
        func site(_ output: String) throws -> String {
            let line = try #require(output.split(separator: "\n").first { $0.contains("listening on") })
            return "http://127.0.0.1:" + (line.split(separator: ":").last.map(String.init) ?? "")
        }

        let (_, outputA) = try start("a")
        let (_, outputB) = try start("b")
        let a = try site(outputA)
        let b = try site(outputB)
        // One first admin for the cluster: the second node finds it in the shared store.
        let password = try #require(
            outputA.components(separatedBy: "one-time password: ").dropFirst().first?.split(separator: "\n").first
                .map(String.init)
        )
        #expect(!outputB.contains("one-time password"))

        // A token created against the shared store works on both nodes.
        let token = Process()
        token.executableURL = URL(fileURLWithPath: binary)
        token.arguments = [
            "token", "create", "--data", dir.path + "/a", "--name", "scale", "--role", "global-admin", "--output",
            "json",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["CANOPY_DATABASE_URL"] = url
        token.environment = environment
        let tokenOut = Pipe()
        token.standardOutput = tokenOut
        try token.run()
        token.waitUntilExit()
        let created = try JSONSerialization.jsonObject(with: tokenOut.fileHandleForReading.readDataToEndOfFile())
        let secret = try #require((created as? [String: Any])?["token"] as? String)
        let bearer = "Authorization: Bearer \(secret)"

        // Sanctioned through A, seen through B within a second.
        #expect(try Self.http("PUT", a + "/api/v1/apps/dropbox/tags/sanctioned", headers: [bearer]).status == 200)
        let tagSeen = try Self.within(1) {
            try Self.http("GET", b + "/api/v1/apps/tags", headers: [bearer]).body.contains(#""sanctioned""#)
        }
        #expect(tagSeen != nil, "B did not see A's sanction within a second")

        // Signed in on A: the session is good on B, where the password is changed; A then takes only the new one.
        let login = try Self.http("GET", a + "/login")
        let loginCookie = try #require(login.cookie("canopy_login"))
        let loginCSRF = try #require(Self.hidden("_csrf", in: login.body))
        let signIn = try Self.http(
            "POST",
            a + "/login",
            headers: ["Cookie: canopy_login=\(loginCookie)"],
            form: Self.form([("_csrf", loginCSRF), ("name", "admin"), ("password", password)])
        )
        #expect(signIn.header("location") == "/password")
        let session = try #require(signIn.cookie("canopy_session"))
        let passwordPage = try Self.http("GET", b + "/password", headers: ["Cookie: canopy_session=\(session)"])
        #expect(passwordPage.status == 200)
        let csrf = try #require(Self.hidden("_csrf", in: passwordPage.body))
        let newPassword = "scale-out password 42"
        let changed = try Self.http(
            "POST",
            b + "/password",
            headers: ["Cookie: canopy_session=\(session)", "Origin: \(b)"],
            form: Self.form([("_csrf", csrf), ("current", password), ("new", newPassword), ("confirm", newPassword)])
        )
        #expect(changed.status == 303)
        let fresh = try #require(changed.cookie("canopy_session"))
        // The old session ended everywhere; the new one works on A.
        #expect(try Self.http("GET", a + "/", headers: ["Cookie: canopy_session=\(session)"]).status == 303)
        #expect(try Self.http("GET", a + "/", headers: ["Cookie: canopy_session=\(fresh)"]).status == 200)

        // A setting changed on A (retention) shows on B's settings page within a second.
        let settings = try Self.http("GET", a + "/settings", headers: ["Cookie: canopy_session=\(fresh)"])
        let settingsCSRF = try #require(Self.hidden("_csrf", in: settings.body))
        let saved = try Self.http(
            "POST",
            a + "/settings",
            headers: ["Cookie: canopy_session=\(fresh)"],
            form: Self.form([("_csrf", settingsCSRF), ("retentionDays", "45"), ("unknown", "ignore")])
        )
        #expect(saved.status == 303)
        let settingSeen = try Self.within(1) {
            try Self.http("GET", b + "/settings", headers: ["Cookie: canopy_session=\(fresh)"]).body
                .contains(#"value="45""#)
        }
        #expect(settingSeen != nil, "B did not see A's retention change within a second")

        for node in nodes {
            node.terminate()
            node.waitUntilExit()
        }
        try await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        await admin.shutdown()
    }
}
