import CanopyTesting
import Foundation
import Testing

/// The portal in a real browser: `canopy serve --demo` and headless Chromium driven over WebDriver (`chromedriver`)
/// sign in with the one-time password, choose a new password, upload a log and see its apps, sanction and
/// unsanction apps, download a block list — and save a screenshot of each main page to
/// `.build/portal-screenshots/` (or `$CANOPY_SCREENSHOTS`).
@Suite(.serialized) struct PortalBrowserTests {
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
    }

    static var screenshots: String {
        ProcessInfo.processInfo.environment["CANOPY_SCREENSHOTS"]
            ?? FixturePaths.repositoryRoot.appendingPathComponent(".build/portal-screenshots").path
    }

    static func freePort() throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])",
        ]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test(.enabled(if: available, "needs chromium and chromium-driver (scripts/install-test-deps.sh installs them)"))
    func anAnalystSignsInUploadsSanctionsAndDownloadsABlockList() async throws {
        let binary = CommandLineTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "no canopy binary at \(binary)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-browser-\(UUID().uuidString)")
        let downloads = dir.appendingPathComponent("downloads").path
        try FileManager.default.createDirectory(atPath: downloads, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: Self.screenshots, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let serve = Process()
        serve.executableURL = URL(fileURLWithPath: binary)
        serve.currentDirectoryURL = FixturePaths.repositoryRoot
        serve.arguments = ["serve", "--data", dir.path + "/data", "--port", "0", "--demo"]
        let out = Pipe()
        serve.standardOutput = out
        serve.standardError = out
        let output = ServeCommandTests.OutputReader(out)
        try serve.run()
        defer { if serve.isRunning { serve.terminate() } }
        #expect(output.waitFor("listening on http://127.0.0.1:"), "\(output.all)")
        let lines = output.all.split(separator: "\n")
        let port = try #require(lines.first { $0.contains("listening on") }?.split(separator: ":").last)
        let password = try #require(
            lines.first { $0.contains("one-time password: ") }?.components(separatedBy: "one-time password: ").last?
                .split(separator: " ").first.map(String.init)
        )
        let site = "http://127.0.0.1:\(port)"

        let driverPort = try Self.freePort()
        let driver = Process()
        driver.executableURL = URL(fileURLWithPath: "/usr/bin/chromedriver")
        driver.arguments = ["--port=\(driverPort)", "--allowed-ips=127.0.0.1"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        defer { if driver.isRunning { driver.terminate() } }
        try await WebDriver.waitUntilReady(port: driverPort)
        let web = try await WebDriver.start(port: driverPort, downloads: downloads)
        do {
            try await Self.walkThrough(web, site: site, password: password, downloads: downloads)
        } catch {
            await web.quit()
            throw error
        }
        await web.quit()
    }

    /// The analyst's way through the portal, in one browser session.
    private static func walkThrough(_ web: WebDriver, site: String, password: String, downloads: String) async throws {
        func shot(_ name: String) async throws {
            try await web.screenshot(to: Self.screenshots + "/" + name + ".png")
        }

        // Sign in with the one-time password; the portal asks for a new one first.
        try await web.open(site + "/")
        try await web.wait("the sign-in page") { try await web.currentURL().contains("/login") }
        try await shot("01-login")
        try await web.type("#name", "admin")
        try await web.type("#password", password)
        try await web.click("form.login button[type=submit]")
        try await web.wait("the password page") { try await web.currentURL().hasSuffix("/password") }
        let newPassword = "a new and long password"
        try await web.type("#current", password)
        try await web.type("#new", newPassword)
        try await web.type("#confirm", newPassword)
        try await web.click("main form button[type=submit]")
        try await web.wait("the dashboard") { try await web.title().hasPrefix("Cloud Discovery") }
        let dashboard = try await web.source()
        #expect(dashboard.contains("Top apps"))
        #expect(dashboard.contains("<svg"))
        try await shot("02-dashboard")

        // Upload a log for a snapshot report (the page's script shows progress), wait for the report, sanction
        // one of its apps there.
        try await web.open(site + "/discovery/snapshots")
        try await web.wait("the snapshot page") { try await web.title().hasPrefix("Snapshot reports") }
        let sample = FixturePaths.repositoryRoot.appendingPathComponent("samples/discovery/squid-access.log.gz").path
        try await web.type("#snapshot-name", "Browser upload")
        try await web.attach("#snapshot-files", sample)
        try await web.click("form#upload button[type=submit]")
        try await web.wait("the snapshot report", timeout: 60) {
            guard try await web.currentURL().contains("/discovery/snapshots/") else { return false }
            return try await web.text("#snapshot-status") == "ready"
        }
        let report = try await web.source()
        #expect(report.contains("squid-access.log.gz"))
        #expect(report.contains("Parse statistics"))
        let uploadedApp = try await web.text("table.list tbody tr:nth-child(1) td:nth-child(2)")
        try await web.click("table.list tbody tr:nth-child(1) input[name=app]")
        try await web.click("button[value=sanction]")
        try await web.wait("the sanction from the report") {
            guard try await web.currentURL().contains("done=1") else { return false }
            return try await web.source().contains("tag-sanctioned")
        }
        try await shot("03-snapshot")
        #expect(!uploadedApp.isEmpty)

        // Discovered apps (from the demo logs): unsanction the first, sanction the second.
        try await web.open(site + "/discovery/apps")
        try await web.wait("the app list") { try await web.title().hasPrefix("Discovered apps") }
        let first = try await web.text("table.list tbody tr:nth-child(1) td:nth-child(2)")
        let second = try await web.text("table.list tbody tr:nth-child(2) td:nth-child(2)")
        try await web.click("table.list tbody tr:nth-child(1) input[name=app]")
        try await web.click("button[value=unsanction]")
        try await web.wait("the unsanction") { try await web.source().contains("tag-unsanctioned") }
        try await web.click("table.list tbody tr:nth-child(2) input[name=app]")
        try await web.click("button[value=sanction]")
        try await web.wait("the sanction") { try await web.source().contains(#"class="tag tag-sanctioned""#) }
        let tagged = try await web.source()
        #expect(tagged.contains("tag-unsanctioned"))
        #expect(tagged.contains("tag-sanctioned"))
        try await shot("04-apps")

        // The block list of unsanctioned apps, downloaded as a file.
        try await web.click("form[action='/discovery/blocklist'] button[type=submit]")
        let list = downloads + "/canopy-blocklist-squid.txt"
        try await web.wait("the download", timeout: 30) { FileManager.default.fileExists(atPath: list) }
        let text = try String(contentsOfFile: list, encoding: .utf8)
        #expect(text.contains("acl canopy_unsanctioned dstdomain"))

        // The app page explains the score; the other main pages render.
        try await web.open(
            site + "/discovery/apps?q=" + (first.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        )
        try await web.click("table.list tbody tr:nth-child(1) td:nth-child(2) a")
        try await web.wait("the app page") { try await web.source().contains("Risk factors") }
        try await shot("05-app")
        for (name, path, title) in [
            ("06-users", "/discovery/users", "Users"), ("07-ips", "/discovery/ips", "IP addresses"),
            ("08-catalog", "/catalog?q=drop", "App catalog"),
            ("09-snapshots", "/discovery/snapshots", "Snapshot reports"),
            ("10-datasources", "/datasources", "Data sources"), ("11-settings", "/settings", "Settings"),
            ("12-admins", "/admins", "Admins"), ("14-governance", "/governance", "Governance log"),
            ("15-custom-apps", "/catalog/custom", "Custom apps"), ("13-audit", "/audit", "Audit log"),
        ] {
            try await web.open(site + path)
            try await web.wait(title) { try await web.title().hasPrefix(title) }
            try await shot(name)
        }
        let audit = try await web.source()
        #expect(audit.contains("app.tag"))
        #expect(audit.contains("admin.password"))
        #expect(audit.contains("snapshot.upload"))
        #expect(!second.isEmpty)

        // Sign out: the dashboard asks for a sign-in again.
        try await web.click("header form button[type=submit]")
        try await web.wait("the sign-in page after sign-out") { try await web.currentURL().contains("/login") }
        try await web.open(site + "/")
        try await web.wait("the sign-in page") { try await web.currentURL().contains("/login") }
    }
}
