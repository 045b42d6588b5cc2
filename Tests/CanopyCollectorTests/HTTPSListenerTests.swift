import CanopyTesting
import Foundation
import Testing

/// `canopy serve --https`: the portal and the API over TLS 1.2+ with the generated certificate; older protocol
/// versions are refused.
@Suite struct HTTPSListenerTests {
    static func curl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func httpsServesWithTheGeneratedCertificateAndRefusesTLS11() async throws {
        let binary = CommandLineTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "no canopy binary at \(binary)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-https-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--data", dir.path, "--port", "0", "--https"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        let reader = ServeCommandTests.OutputReader(out)
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        #expect(reader.waitFor("listening on https://127.0.0.1:"), "\(reader.all)")
        let port = try #require(
            reader.all.split(separator: "\n").first { $0.contains("listening on") }?.split(separator: ":").last
        )
        let certificate = dir.appendingPathComponent("tls/canopy.crt").path
        // Trusting the generated certificate (its name is localhost).
        let ok = try Self.curl([
            "-s", "--cacert", certificate, "--resolve", "localhost:\(port):127.0.0.1", "-w", " %{http_code}",
            "https://localhost:\(port)/healthz",
        ])
        #expect(ok.output == #"{"status":"ok"} 200"#)
        let login = try Self.curl([
            "-s", "-k", "-o", "/dev/null", "-w", "%{http_code}", "https://127.0.0.1:\(port)/login",
        ])
        #expect(login.output == "200")
        let old = try Self.curl(["-s", "-k", "--tlsv1.1", "--tls-max", "1.1", "https://127.0.0.1:\(port)/healthz"])
        #expect(old.status != 0, "TLS 1.1 must be refused")
        let plain = try Self.curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/healthz"])
        #expect(plain.output != "200", "plain HTTP must not be served on the HTTPS port")
        process.terminate()
        process.waitUntilExit()
    }
}
