import CanopyStore
import CanopyTesting
import Foundation
import Testing

/// SIGTERM during an upload: `canopy serve` stops taking new connections, lets the upload finish (the client gets
/// its 202), builds the report, and only then exits.
@Suite struct GracefulShutdownTests {
    @Test func sigtermDuringAnUploadFinishesTheUploadAndItsReportBeforeExiting() async throws {
        let binary = CommandLineTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "no canopy binary at \(binary)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-shutdown-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.path + "/data"

        // A token for the upload.
        let create = Process()
        create.executableURL = URL(fileURLWithPath: binary)
        create.arguments = [
            "token", "create", "--data", data, "--name", "uploader", "--role", "security-admin", "--output", "json",
        ]
        let created = Pipe()
        create.standardOutput = created
        try create.run()
        let tokenJSON = created.fileHandleForReading.readDataToEndOfFile()
        create.waitUntilExit()
        let token = try #require(
            (try JSONSerialization.jsonObject(with: tokenJSON) as? [String: Any])?["token"] as? String
        )
        // About 1.2 MB of Squid log, sent at 200 KB/s: the upload is in flight for about six seconds.
        let log = dir.appendingPathComponent("access.log")
        var text = ""
        for i in 0..<12_000 {
            text +=
                "1780000\(String(format: "%03d", i % 1000)).000 12 10.1.\(i % 200).\(i % 250) TCP_MISS/200 \(1_000 + i) "
                + "GET https://www.dropbox.com/s/\(i) user\(i % 50) HIER_DIRECT/162.125.1.1 text/html\n"
        }
        try Data(text.utf8).write(to: log)

        let serve = Process()
        serve.executableURL = URL(fileURLWithPath: binary)
        serve.currentDirectoryURL = FixturePaths.repositoryRoot
        serve.arguments = ["serve", "--data", data, "--port", "0"]
        let out = Pipe()
        serve.standardOutput = out
        serve.standardError = out
        let output = ServeCommandTests.OutputReader(out)
        try serve.run()
        defer { if serve.isRunning { serve.terminate() } }
        #expect(output.waitFor("listening on http://127.0.0.1:"), "\(output.all)")
        let port = try #require(
            output.all.split(separator: "\n").first { $0.contains("listening on") }?.split(separator: ":").last
        )

        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = [
            "-s", "-o", dir.path + "/reply.json", "-w", "%{http_code}", "--limit-rate", "200k",
            "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: text/plain",
            "--data-binary", "@" + log.path,
            "http://127.0.0.1:\(port)/api/v1/discovery/snapshots?name=in-flight&filename=access.log",
        ]
        let curlOut = Pipe()
        curl.standardOutput = curlOut
        try curl.run()
        // SIGTERM once the server is writing the upload (its staging file has bytes), not after a fixed sleep.
        Self.waitUntilReceiving(data + "/uploads")
        #expect(curl.isRunning, "the upload should still be in flight")
        serve.terminate()  // SIGTERM
        curl.waitUntilExit()
        let status = String(decoding: curlOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(status == "202", "\(status) \(output.all)")
        serve.waitUntilExit()
        #expect(serve.terminationStatus == 0, "\(output.all)")

        // The report was stored before the process ended; nothing is left to resume.
        let store = try SQLiteStore(path: data + "/canopy.sqlite")
        let snapshots = try await store.snapshots(before: nil, limit: 10)
        #expect(snapshots.map(\.name) == ["in-flight"])
        #expect(snapshots.first?.status == .ready, "\(snapshots) \(output.all)")
        #expect(snapshots.first?.inputBytes == Int64(text.utf8.count))
        let uploads = (try? FileManager.default.contentsOfDirectory(atPath: data + "/uploads")) ?? []
        #expect(uploads.isEmpty)
    }

    /// Polls (up to 20 s) until the server writes an upload.
    static func waitUntilReceiving(_ uploads: String) {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !receiving(uploads) { Thread.sleep(forTimeInterval: 0.02) }
    }

    /// Whether a staging directory under `uploads` holds a file with some bytes.
    static func receiving(_ uploads: String) -> Bool {
        let fm = FileManager.default
        for entry in (try? fm.contentsOfDirectory(atPath: uploads)) ?? [] where entry.hasPrefix("staging-") {
            for file in (try? fm.contentsOfDirectory(atPath: uploads + "/" + entry)) ?? [] {
                let size = (try? fm.attributesOfItem(atPath: uploads + "/" + entry + "/" + file)[.size] as? NSNumber)
                if (size?.intValue ?? 0) > 0 { return true }
            }
        }
        return false
    }
}
