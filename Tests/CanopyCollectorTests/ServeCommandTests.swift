import CanopyStore
import CanopyTesting
import Foundation
import Testing

/// `canopy serve` as an operator runs it: a real process, its output, HTTP on loopback, and a graceful stop.
@Suite struct ServeCommandTests {
    /// Reads the process's standard output until a line matching `predicate`, for at most `timeout` seconds.
    final class OutputReader: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""

        init(_ pipe: Pipe) {
            pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self, !data.isEmpty else { return }
                self.lock.withLock { self.text += String(decoding: data, as: UTF8.self) }
            }
        }

        var all: String { lock.withLock { text } }

        func waitFor(_ needle: String, timeout: TimeInterval = 30) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if all.contains(needle) { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
    }

    @Test func servePrintsTheOneTimePasswordOnceAnswersHealthzLoadsTheDemoAndStopsOnSIGTERM() async throws {
        let binary = CommandLineTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "no canopy binary at \(binary)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-serve-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }

        func start(_ extra: [String] = []) throws -> (Process, OutputReader) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.currentDirectoryURL = FixturePaths.repositoryRoot
            process.arguments = ["serve", "--data", dir.path + "/data", "--port", "0"] + extra
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            let reader = OutputReader(out)
            try process.run()
            return (process, reader)
        }

        let (first, output) = try start()
        defer { if first.isRunning { first.terminate() } }
        #expect(output.waitFor("listening on http://127.0.0.1:"), "\(output.all)")
        let text = output.all
        #expect(text.contains("one-time password: "))
        let port = try #require(
            text.split(separator: "\n").first { $0.contains("listening on") }?.split(separator: ":").last
        )
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "-o", "-", "-w", " %{http_code}", "http://127.0.0.1:\(port)/healthz"]
        let curlOut = Pipe()
        curl.standardOutput = curlOut
        try curl.run()
        curl.waitUntilExit()
        let answer = String(decoding: curlOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(answer == #"{"status":"ok"} 200"#)
        first.terminate()  // SIGTERM
        first.waitUntilExit()
        #expect(first.terminationReason == .exit && first.terminationStatus == 0, "\(output.all)")

        // A second start: same data directory, no new password; --demo loads the sample logs, moved to end today.
        let (second, again) = try start(["--demo"])
        defer { if second.isRunning { second.terminate() } }
        #expect(again.waitFor("listening on"), "\(again.all)")
        #expect(!again.all.contains("one-time password"))
        #expect(again.all.contains("demo: loaded 30000 records from 3 logs"), "\(again.all)")
        second.terminate()
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)
        let store = try SQLiteStore(path: dir.path + "/data/canopy.sqlite")
        let today = Int32(Date().timeIntervalSince1970 / 86_400)
        let recent = try await store.discoveryByApp(days: (today - 6)...today)
        #expect(recent.count >= 5, "\(recent.map(\.app))")

        // A third start with --demo does not load the samples twice.
        let (third, once) = try start(["--demo"])
        defer { if third.isRunning { third.terminate() } }
        #expect(once.waitFor("listening on"), "\(once.all)")
        #expect(once.all.contains("demo: sample logs already loaded"))
        third.terminate()
        third.waitUntilExit()
    }

    /// Runs canopy to completion and returns its exit status and standard output.
    func canopy(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func curl(_ url: String, token: String) throws -> (String, String) {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "-o", "-", "-w", "\n%{http_code}", "-H", "Authorization: Bearer \(token)", url]
        let out = Pipe()
        curl.standardOutput = out
        try curl.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        curl.waitUntilExit()
        let status = String(text.split(separator: "\n").last ?? "")
        return (String(text.dropLast(status.count)), status)
    }

    @Test func aTokenFromTheCLIOpensTheAPIUntilItIsRevokedAndBothAreAudited() async throws {
        let binary = CommandLineTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "no canopy binary at \(binary)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-token-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.path + "/data"
        let (status, created) = try canopy([
            "token", "create", "--data", data, "--name", "siem", "--role", "security-reader", "--days", "7",
            "--output", "json",
        ])
        #expect(status == 0, "\(created)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any])
        let token = try #require(object["token"] as? String)
        let id = try #require(object["id"] as? Int)
        #expect(token.hasPrefix("cnp_") && token.count == 44)
        #expect(try canopy(["token", "create", "--data", data, "--name", "x", "--role", "root"]).0 != 0)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--data", data, "--port", "0"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        let output = OutputReader(out)
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        #expect(output.waitFor("listening on http://127.0.0.1:"), "\(output.all)")
        let port = try #require(
            output.all.split(separator: "\n").first { $0.contains("listening on") }?.split(separator: ":").last
        )
        let base = "http://127.0.0.1:\(port)"
        #expect(try curl(base + "/api/v1/discovery/apps", token: token).1 == "200")

        let (listed, list) = try canopy(["token", "list", "--data", data, "--output", "json"])
        #expect(listed == 0 && list.contains(#""status" : "active""#) && !list.contains(token))
        #expect(try canopy(["token", "revoke", "--data", data, String(id)]).0 == 0)
        #expect(try canopy(["token", "revoke", "--data", data, String(id)]).0 == 1)
        let (body, denied) = try curl(base + "/api/v1/discovery/apps", token: token)
        #expect(denied == "401" && body.contains(#""code":"unauthorized""#))

        // The audit log, read through the API with a second token.
        let second = try canopy([
            "token", "create", "--data", data, "--name", "auditor", "--role", "security-reader", "--output", "json",
        ]).1
        let auditor = try #require(
            (try JSONSerialization.jsonObject(with: Data(second.utf8)) as? [String: Any])?["token"] as? String
        )
        let (audit, ok) = try curl(base + "/api/v1/audit", token: auditor)
        #expect(ok == "200")
        #expect(audit.contains(#""action":"token.create""#) && audit.contains(#""action":"token.revoke""#))
        process.terminate()
        process.waitUntilExit()
    }
}
