import CanopyServer
import CanopyStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Testing

/// Admin sign-in through an OpenID Connect provider (a local one on 127.0.0.1 that follows the specification): the
/// code flow with PKCE end to end, and every way a sign-in must be refused.
@Suite struct OIDCSignInTests {
    /// Runs `body` with a live provider and a Canopy portal configured for it, with admin `alice@corp.example`.
    func withProvider(
        requireMFA: Bool = false,
        _ body:
            @Sendable (FakeOIDCProvider, CanopyServer, any TestClientProtocol, any TestClientProtocol) async throws
            -> Void
    ) async throws {
        let provider = try FakeOIDCProvider()
        let idp = Application(router: provider.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await idp.test(.live) { idpClient in
            let port = try #require(idpClient.port)
            let issuer = "http://127.0.0.1:\(port)"
            provider.issuer = issuer
            let issuerURL = try #require(URL(string: issuer))
            let redirectURL = try #require(URL(string: provider.redirectURI))
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-oidc-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            let server = try await CanopyServer.prepare(
                .init(
                    dataDirectory: dir.path,
                    port: 0,
                    oidc: try OIDCConfiguration(
                        issuer: issuerURL,
                        clientID: provider.clientID,
                        clientSecret: provider.clientSecret,
                        redirectURI: redirectURL,
                        requireMFA: requireMFA,
                        displayName: "Corp <IdP>"
                    )
                )
            )
            _ = try await server.store.createAdmin(
                AdminAccount(
                    name: "alice@corp.example",
                    passwordHash: Bcrypt.hash("unused one-time password", cost: 4),
                    role: "security-admin",
                    mustChangePassword: true,
                    createdAt: 1
                )
            )
            let app = Application(router: server.router())
            try await app.test(.router) { client in try await body(provider, server, idpClient, client) }
        }
    }

    /// Starts a sign-in in `browser` and lets the provider answer; returns the callback path and query.
    func authorize(
        _ browser: inout PortalTests.Browser,
        at idp: any TestClientProtocol,
        next: String = "/"
    ) async throws -> String {
        let start = try await browser.send("/login/oidc?next=" + FakeOIDCProvider.form(next))
        #expect(start.status == .found)
        let location = try #require(start.headers[.location])
        let authorize = try #require(URLComponents(string: location))
        #expect(authorize.queryItems?.contains { $0.name == "code_challenge_method" && $0.value == "S256" } == true)
        let answer = try await idp.execute(
            uri: authorize.path + "?" + (authorize.percentEncodedQuery ?? ""),
            method: .get
        )
        #expect(answer.status == .found)
        let back = try #require(answer.headers[.location])
        let callback = try #require(URLComponents(string: back))
        return callback.path + "?" + (callback.percentEncodedQuery ?? "")
    }

    @Test func anAdminSignsInThroughTheProviderAndLandsWhereTheyWereGoing() async throws {
        try await withProvider { provider, server, idp, client in
            var browser = PortalTests.Browser(client: client)
            let login = String(buffer: try await browser.send("/login").body)
            #expect(login.contains("Sign in with Corp &lt;IdP&gt;") && login.contains(#"href="/login/oidc?next=%2F""#))
            let callback = try await authorize(&browser, at: idp, next: "/discovery/apps?days=7")
            #expect(browser.cookies["canopy_oidc"] != nil)
            let done = try await browser.send(callback)
            #expect(done.status == .ok, "\(String(buffer: done.body))")
            #expect(String(buffer: done.body).contains(#"content="0;url=/discovery/apps?days=7""#))
            let setCookies = done.headers[values: .setCookie]
            #expect(setCookies.contains { $0.hasPrefix("canopy_session=") && $0.contains("SameSite=Strict") })
            #expect(browser.cookies["canopy_oidc"] == nil)
            // Signed in, with no forced password change: the unused one-time password is retired.
            let apps = try await browser.send("/discovery/apps?days=7")
            #expect(apps.status == .ok)
            let account = try #require(try await server.store.admin(named: "alice@corp.example"))
            #expect(
                !account.mustChangePassword && !Bcrypt.verify("unused one-time password", hash: account.passwordHash)
            )
            let audit = try #require(try await server.store.auditEntries(before: nil, limit: 1).first?.entry)
            #expect(audit.action == "admin.login" && audit.actor == "alice@corp.example")
            #expect(audit.detail.contains("OpenID Connect") && audit.detail.contains("MFA yes"))

            // The same callback again: the code is spent and the flow cookie gone.
            #expect(try await browser.send(callback).status == .badRequest)
            #expect(provider.tokenRequests == 1)
        }
    }

    @Test func forgedStaleOrForeignSignInsAreRefusedAndAudited() async throws {
        try await withProvider { provider, server, idp, client in
            func attempt(
                _ faults: FakeOIDCProvider.Faults,
                user: FakeOIDCProvider.User = .init(subject: "00u1", email: "alice@corp.example", methods: ["pwd"])
            ) async throws -> (HTTPResponse.Status, String) {
                provider.signIn(user, faults: faults)
                var browser = PortalTests.Browser(client: client)
                let callback = try await authorize(&browser, at: idp)
                let response = try await browser.send(callback)
                #expect(browser.cookies["canopy_session"] == nil)
                return (response.status, String(buffer: response.body))
            }
            let cases: [(FakeOIDCProvider.Faults, HTTPResponse.Status, String)] = [
                (.init(otherKey: true), .unauthorized, "signature"),
                (.init(audience: "another-app"), .unauthorized, "another client"),
                (.init(expired: true), .unauthorized, "expired"),
                (.init(nonce: "replayed"), .unauthorized, "nonce"),
                (.init(refuse: true), .unauthorized, "access_denied"),
            ]
            for (faults, status, reason) in cases {
                let (got, body) = try await attempt(faults)
                #expect(got == status && body.contains(reason), "\(reason): \(got) \(body)")
            }
            let (unknown, body) = try await attempt(
                .init(),
                user: .init(subject: "00u2", email: "mallory@corp.example", methods: ["pwd", "mfa"])
            )
            #expect(unknown == .forbidden && body.contains("No Canopy admin is named mallory@corp.example"))

            // A callback without the flow cookie, or with another state, is not this browser's sign-in.
            provider.signIn(.init(subject: "00u1", email: "alice@corp.example", methods: ["pwd"]))
            var browser = PortalTests.Browser(client: client)
            let callback = try await authorize(&browser, at: idp)
            var stranger = PortalTests.Browser(client: client)
            #expect(try await stranger.send(callback).status == .badRequest)
            let forged = callback.replacingOccurrences(of: "state=", with: "state=x")
            #expect(try await browser.send(forged).status == .badRequest)

            let failures = try await server.store.auditEntries(before: nil, limit: 50).map(\.entry)
                .filter { $0.action == "admin.login.failed" }
            #expect(failures.count >= 7 && failures.allSatisfy { $0.detail.hasPrefix("OpenID Connect: ") })
            #expect(failures.allSatisfy { !$0.detail.contains("eyJ") })  // never a token
        }
    }

    @Test func withMFARequiredAPasswordOnlySignInIsRefused() async throws {
        try await withProvider(requireMFA: true) { provider, _, idp, client in
            provider.signIn(.init(subject: "00u1", email: "alice@corp.example", methods: ["pwd"]))
            var browser = PortalTests.Browser(client: client)
            let refused = try await browser.send(try await authorize(&browser, at: idp))
            #expect(refused.status == .forbidden && String(buffer: refused.body).contains("second factor"))
            provider.signIn(.init(subject: "00u1", email: "alice@corp.example", methods: ["pwd", "otp"]))
            var again = PortalTests.Browser(client: client)
            #expect(try await again.send(try await authorize(&again, at: idp)).status == .ok)
            #expect(again.cookies["canopy_session"] != nil)
        }
    }

    @Test func anInsecureOrIncompleteConfigurationIsRefused() throws {
        let callback = try #require(URL(string: "https://canopy.example/login/oidc/callback"))
        for (issuer, id, secret, claim) in [
            ("http://idp.example", "c", "s", "email"), ("https://idp.example", "", "s", "email"),
            ("https://idp.example", "c", "", "email"), ("https://idp.example", "c", "s", "groups"),
        ] {
            let issuerURL = try #require(URL(string: issuer))
            #expect(throws: OIDCError.self) {
                try OIDCConfiguration(
                    issuer: issuerURL,
                    clientID: id,
                    clientSecret: secret,
                    redirectURI: callback,
                    usernameClaim: claim
                )
            }
        }
    }
}
