import Foundation

/// A small W3C WebDriver client for `chromedriver` (Debian `chromium-driver`): enough to drive the portal in a real
/// headless Chromium — open pages, type, click, read the page, take screenshots.
struct WebDriver {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let base: URL
    let session: String

    /// Starts a browser session: headless Chromium at `/usr/bin/chromium`, downloads into `downloads`.
    static func start(port: Int, downloads: String) async throws -> WebDriver {
        let base = URL(string: "http://127.0.0.1:\(port)")!
        let capabilities: [String: Any] = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": [
                        "binary": "/usr/bin/chromium",
                        "args": [
                            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--window-size=1440,1000", "--no-first-run",
                        ],
                        "prefs": [
                            "download.default_directory": downloads,
                            "download.prompt_for_download": false,
                        ],
                    ],
                ]
            ]
        ]
        let answer = try await call(base, "POST", "/session", capabilities)
        guard let id = (answer as? [String: Any])?["sessionId"] as? String else {
            throw Failure(description: "no session: \(String(describing: answer))")
        }
        return WebDriver(base: base, session: id)
    }

    /// Waits (at most 20 s) until chromedriver on `port` says it is ready for new sessions.
    static func waitUntilReady(port: Int) async throws {
        let base = URL(string: "http://127.0.0.1:\(port)")!
        for _ in 0..<200 {
            if let status = try? await call(base, "GET", "/status") as? [String: Any], status["ready"] as? Bool == true
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "chromedriver on port \(port) never became ready")
    }

    /// One WebDriver command over `curl` (FoundationNetworking's URLSession fails on chromedriver's answers with
    /// "Failed writing header" here); answers the `value` of the reply.
    @discardableResult
    private static func call(_ base: URL, _ method: String, _ path: String, _ body: Any? = nil) async throws -> Any? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("webdriver-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        // The reply goes to a file (it can be a large screenshot), the status code to stdout.
        var arguments = ["-sS", "--max-time", "60", "-X", method, "-o", file.path, "-w", "%{http_code}"]
        let input = Pipe()
        if body != nil {
            arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"]
            process.standardInput = input
        }
        process.arguments = arguments + [base.absoluteString + path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let reply: Data = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { _ in
                continuation.resume(returning: output.fileHandleForReading.readDataToEndOfFile())
            }
            do {
                try process.run()
                if let body {
                    input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: body))
                    try input.fileHandleForWriting.close()
                }
            } catch {
                continuation.resume(throwing: error)
            }
        }
        guard let status = Int(String(decoding: reply, as: UTF8.self)), status > 0,
            let data = FileManager.default.contents(atPath: file.path)
        else { throw Failure(description: "\(method) \(path): no answer (curl exit \(process.terminationStatus))") }
        if status >= 400 {
            throw Failure(
                description: "\(method) \(path): \(status) \(String(decoding: data.prefix(400), as: UTF8.self))"
            )
        }
        let json = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any]
        return json?["value"]
    }

    @discardableResult
    private func call(_ method: String, _ path: String, _ body: Any? = nil) async throws -> Any? {
        try await Self.call(base, method, "/session/\(session)" + path, body)
    }

    func open(_ url: String) async throws { try await call("POST", "/url", ["url": url]) }

    func currentURL() async throws -> String { (try await call("GET", "/url") as? String) ?? "" }

    func title() async throws -> String { (try await call("GET", "/title") as? String) ?? "" }

    func source() async throws -> String { (try await call("GET", "/source") as? String) ?? "" }

    /// The first element matching a CSS selector.
    func element(_ css: String) async throws -> String {
        let value = try await call("POST", "/element", ["using": "css selector", "value": css])
        guard let object = value as? [String: Any], let id = object.values.first as? String else {
            throw Failure(description: "no element \(css)")
        }
        return id
    }

    func type(_ css: String, _ text: String) async throws {
        let id = try await element(css)
        try await call("POST", "/element/\(id)/clear", [String: Any]())
        try await call("POST", "/element/\(id)/value", ["text": text])
    }

    /// Types into a file input (the path of a file to upload).
    func attach(_ css: String, _ path: String) async throws {
        try await call("POST", "/element/\(try await element(css))/value", ["text": path])
    }

    func click(_ css: String) async throws {
        try await call("POST", "/element/\(try await element(css))/click", [String: Any]())
    }

    /// The visible text of the first element matching `css`.
    func text(_ css: String) async throws -> String {
        (try await call("GET", "/element/\(try await element(css))/text") as? String) ?? ""
    }

    /// Waits until `condition` holds (polling), for at most `timeout` seconds.
    func wait(
        _ what: String,
        timeout: Double = 30,
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        let alert = (try? await text("[role=alert]")) ?? "none"
        throw Failure(
            description:
                "timed out waiting for \(what) at \(try await currentURL()) (\(try await title()); alert: \(alert))"
        )
    }

    /// A PNG of the viewport, written to `path`.
    func screenshot(to path: String) async throws {
        guard let base64 = try await call("GET", "/screenshot") as? String, let data = Data(base64Encoded: base64)
        else { throw Failure(description: "no screenshot") }
        try data.write(to: URL(fileURLWithPath: path))
    }

    func quit() async { _ = try? await Self.call(base, "DELETE", "/session/\(session)") }
}
