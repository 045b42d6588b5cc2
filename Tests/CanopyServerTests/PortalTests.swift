import CanopyServer
import CanopyStore
import CanopyTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Testing

/// The portal over HTTP: sign-in (CSRF, rate limit, audit), sessions in strict cookies, CSRF on every change,
/// escaping of hostile values from log files, roles, and the pages themselves.
@Suite struct PortalTests {
    static let now: Int64 = 1_780_000_000_000
    static var today: Int32 { Int32(now / 86_400_000) }
    static let password = "correct horse battery"
    /// A user name and app id as hostile as log files get.
    static let hostileUser = "<img src=x onerror=alert(1)>\"'&"

    struct Browser {
        var client: any TestClientProtocol
        var cookies: [String: String] = [:]

        mutating func send(
            _ uri: String,
            _ method: HTTPRequest.Method = .get,
            form: [(String, String)]? = nil,
            headers extra: HTTPFields = [:]
        ) async throws -> TestResponse {
            var headers = extra
            if !cookies.isEmpty {
                headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                    .joined(separator: "; ")
            }
            var body: ByteBuffer?
            if let form {
                headers[.contentType] = "application/x-www-form-urlencoded"
                body = ByteBuffer(string: Self.encode(form))
            }
            let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
            for field in response.headers[values: .setCookie] {
                let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                let name = String(pair[0])
                let value = pair.count > 1 ? String(pair[1]) : ""
                if value.isEmpty || field.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
            }
            return response
        }

        static func encode(_ form: [(String, String)]) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return form.map {
                ($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") + "="
                    + ($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
            }.joined(separator: "&")
        }

        /// Signs in through the form; returns the response to the form post.
        mutating func signIn(_ name: String, _ password: String) async throws -> TestResponse {
            let page = try await send("/login")
            let csrf = try #require(Self.hidden("_csrf", in: String(buffer: page.body)))
            return try await send("/login", .post, form: [("_csrf", csrf), ("name", name), ("password", password)])
        }

        /// The CSRF token of a signed-in page.
        mutating func csrf() async throws -> String {
            let page = String(buffer: try await send("/audit").body)
            let marker = #"<meta name="csrf-token" content=""#
            let start = try #require(page.range(of: marker)).upperBound
            return String(page[start...].prefix { $0 != "\"" })
        }

        static func hidden(_ name: String, in html: String) -> String? {
            guard let range = html.range(of: #"name="\#(name)" value=""#) else { return nil }
            return String(html[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    /// A server with discovery data (incl. a hostile user name) and one admin per role, password ``password``.
    func withPortal(
        _ body: @escaping @Sendable (CanopyServer, any TestClientProtocol) async throws -> Void
    ) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-portal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try await CanopyServer.prepare(
            .init(dataDirectory: dir.path, port: 0, catalog: TestCatalog.small())
        )
        // Cost 4 keeps the suite quick; the server's own hashes use cost 12.
        let hash = Bcrypt.hash(Self.password, cost: 4)
        for role in Role.allCases {
            _ = try await server.store.createAdmin(
                AdminAccount(
                    name: role.rawValue,
                    passwordHash: hash,
                    role: role.rawValue,
                    mustChangePassword: false,
                    createdAt: 1
                )
            )
        }
        try await server.store.addDiscovery(
            ["dropbox", "microsoft-teams"].enumerated().map { i, app in
                DiscoveryRow(
                    day: Self.today,
                    app: app,
                    user: i == 0 ? Self.hostileUser : "bob@example.com",
                    sourceIP: "10.0.0.\(i)",
                    bytesUp: 10,
                    bytesDown: 1_000,
                    bytesTotal: 1_010,
                    transactions: 3,
                    blocked: 0,
                    firstSeen: Self.now,
                    lastSeen: Self.now
                )
            }
        )
        let app = Application(router: server.router(clock: { Self.now }))
        try await app.test(.router) { client in try await body(server, client) }
    }

    @Test func pagesNeedASignInAndTheSessionCookieIsStrict() async throws {
        try await withPortal { server, client in
            var browser = Browser(client: client)
            let anonymous = try await browser.send("/discovery/apps?days=7")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/login?next=%2Fdiscovery%2Fapps%3Fdays%3D7")
            let signIn = try await browser.signIn("global-admin", Self.password)
            #expect(signIn.status == .seeOther)
            #expect(signIn.headers[.location] == "/")
            let cookie = try #require(signIn.headers[values: .setCookie].first { $0.hasPrefix("canopy_session=") })
            for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] { #expect(cookie.contains(flag)) }
            let dashboard = try await browser.send("/")
            #expect(dashboard.status == .ok)
            let html = String(buffer: dashboard.body)
            #expect(html.contains("Discovered apps"))
            #expect(html.contains("<svg"))
            #expect(dashboard.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(dashboard.headers[.contentSecurityPolicy]?.contains("unsafe-inline") == false)
            // The store keeps only the secret's hash.
            let secret = try #require(browser.cookies["canopy_session"])
            #expect(try await server.store.session(idHash: secret) == nil)
            #expect(try await server.store.session(idHash: APITokens.hash(secret)) != nil)
            let audit = try await server.store.auditEntries(before: nil, limit: 5)
            #expect(audit.first?.entry.action == "admin.login")
        }
    }

    @Test func wrongPasswordsAreAuditedAndRateLimited() async throws {
        try await withPortal { server, client in
            var browser = Browser(client: client)
            for _ in 0..<5 {
                let response = try await browser.signIn("security-admin", "wrong password")
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("The name or the password is not right."))
            }
            // Even the right password waits now.
            let limited = try await browser.signIn("security-admin", Self.password)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter].flatMap(Int.init).map { $0 > 0 } == true)
            // An unknown name answers like a wrong password.
            let unknown = try await browser.signIn("nobody", Self.password)
            #expect(unknown.status == .unauthorized)
            let failures = try await server.store.auditEntries(before: nil, limit: 20)
                .filter { $0.entry.action == "admin.login.failed" }
            #expect(failures.count == 6)
            // Other accounts are not locked by it.
            #expect(try await browser.signIn("security-reader", Self.password).status == .seeOther)
        }
    }

    @Test func theSignInFormAndEveryChangeNeedTheirCSRFToken() async throws {
        try await withPortal { server, client in
            var browser = Browser(client: client)
            _ = try await browser.send("/login")
            let forged = try await browser.send(
                "/login",
                .post,
                form: [("_csrf", "guess"), ("name", "global-admin"), ("password", Self.password)]
            )
            #expect(forged.status == .forbidden)
            _ = try await browser.signIn("global-admin", Self.password)
            let noToken = try await browser.send(
                "/discovery/apps/tags",
                .post,
                form: [("action", "sanction"), ("app", "dropbox")]
            )
            #expect(noToken.status == .forbidden)
            let token = try await browser.csrf()
            let crossSite = try await browser.send(
                "/discovery/apps/tags",
                .post,
                form: [("_csrf", token), ("action", "sanction"), ("app", "dropbox")],
                headers: [.origin: "https://evil.example"]
            )
            #expect(crossSite.status == .forbidden)
            #expect(try await server.store.appTags()["dropbox"] == nil)
            let done = try await browser.send(
                "/discovery/apps/tags",
                .post,
                form: [("_csrf", token), ("action", "unsanction"), ("app", "dropbox"), ("app", "microsoft-teams")]
            )
            #expect(done.status == .seeOther)
            #expect(try await server.store.appTags()["dropbox"] == ["unsanctioned"])
            #expect(try await server.store.appTags()["microsoft-teams"] == ["unsanctioned"])
            let audit = try await server.store.auditEntries(before: nil, limit: 5)
            #expect(audit.first?.entry.action == "app.tag")
            #expect(audit.first?.entry.actor == "global-admin")
            // The block list now names them.
            let list = try await browser.send("/discovery/blocklist?format=domains")
            #expect(list.status == .ok)
            #expect(list.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(String(buffer: list.body).contains("dropbox.com"))
        }
    }

    @Test func hostileValuesFromLogsAreEscapedOnEveryPage() async throws {
        try await withPortal { _, client in
            var browser = Browser(client: client)
            _ = try await browser.signIn("security-reader", Self.password)
            for page in ["/", "/discovery/users", "/discovery/apps/dropbox"] {
                let html = String(buffer: try await browser.send(page).body)
                #expect(!html.contains("<img src=x"), "\(page) must escape user names")
                #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "\(page) shows the escaped name")
            }
            let search = String(buffer: try await browser.send("/catalog?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").body)
            #expect(!search.contains("<script>alert"))
            #expect(search.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }

    @Test func rolesDecideWhatAPageShowsAndAllows() async throws {
        try await withPortal { server, client in
            var reader = Browser(client: client)
            _ = try await reader.signIn("security-reader", Self.password)
            let apps = String(buffer: try await reader.send("/discovery/apps").body)
            #expect(apps.contains("Dropbox"))
            #expect(!apps.contains(#"value="sanction""#))
            #expect(!apps.contains(#"href="/admins""#))
            let token = try await reader.csrf()
            let refused = try await reader.send(
                "/discovery/apps/tags",
                .post,
                form: [("_csrf", token), ("action", "sanction"), ("app", "dropbox")]
            )
            #expect(refused.status == .forbidden)
            #expect(try await reader.send("/admins").status == .forbidden)
            var admin = Browser(client: client)
            _ = try await admin.signIn("global-admin", Self.password)
            let adminToken = try await admin.csrf()
            let created = try await admin.send(
                "/admins",
                .post,
                form: [("_csrf", adminToken), ("action", "create"), ("name", "carol"), ("role", "security-operator")]
            )
            #expect(created.status == .ok)
            #expect(String(buffer: created.body).contains("One-time password"))
            #expect(try await server.store.admin(named: "carol")?.mustChangePassword == true)
            // A role change ends the account's sessions.
            let changed = try await admin.send(
                "/admins",
                .post,
                form: [
                    ("_csrf", adminToken), ("action", "role"), ("name", "security-reader"), ("role", "security-admin"),
                ]
            )
            #expect(changed.status == .seeOther)
            #expect(try await reader.send("/discovery/apps").status == .seeOther)
            let actions = try await server.store.auditEntries(before: nil, limit: 10).map(\.entry.action)
            #expect(actions.contains("admin.create"))
            #expect(actions.contains("admin.role"))
        }
    }

    @Test func aOneTimePasswordMustBeChangedAndSignOutEndsTheSession() async throws {
        try await withPortal { server, client in
            let password = try #require(server.startup.firstAdminPassword)
            var browser = Browser(client: client)
            let signIn = try await browser.signIn(FirstAdmin.name, password)
            #expect(signIn.headers[.location] == "/password")
            #expect(try await browser.send("/").headers[.location] == "/password")
            let token = try await Self.csrfOfPasswordPage(&browser)
            let short = try await browser.send(
                "/password",
                .post,
                form: [("_csrf", token), ("current", password), ("new", "short"), ("confirm", "short")]
            )
            #expect(String(buffer: short.body).contains("at least 12 characters"))
            let changed = try await browser.send(
                "/password",
                .post,
                form: [("_csrf", token), ("current", password), ("new", Self.password), ("confirm", Self.password)]
            )
            #expect(changed.status == .seeOther)
            #expect(try await browser.send("/").status == .ok)
            let logoutToken = try await browser.csrf()
            let out = try await browser.send("/logout", .post, form: [("_csrf", logoutToken)])
            #expect(out.status == .seeOther)
            #expect(try await browser.send("/").status == .seeOther)
            var again = Browser(client: client)
            #expect(try await again.signIn(FirstAdmin.name, Self.password).headers[.location] == "/")
        }
    }

    static func csrfOfPasswordPage(_ browser: inout Browser) async throws -> String {
        let page = String(buffer: try await browser.send("/password").body)
        return try #require(Browser.hidden("_csrf", in: page))
    }

    @Test func everyPageRendersForAGlobalAdmin() async throws {
        try await withPortal { _, client in
            var browser = Browser(client: client)
            _ = try await browser.signIn("global-admin", Self.password)
            for page in [
                "/", "/?days=90", "/discovery/apps", "/discovery/apps?level=high&tag=none&q=drop",
                "/discovery/apps/dropbox",
                "/discovery/users", "/discovery/ips", "/catalog", "/catalog?q=box", "/catalog/custom", "/datasources",
                "/settings",
                "/admins",
                "/audit", "/governance", "/password",
            ] {
                let response = try await browser.send(page)
                #expect(response.status == .ok, "\(page)")
                let html = String(buffer: response.body)
                #expect(html.hasPrefix("<!doctype html>"), "\(page)")
                #expect(!html.contains("{{"), "\(page) has no unrendered template tags")
            }
            #expect(try await browser.send("/static/portal.css").status == .ok)
            #expect(try await browser.send("/discovery/apps/no-such-app").status == .notFound)
        }
    }
}
