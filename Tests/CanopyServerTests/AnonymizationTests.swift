import CanopyCollector
import CanopyServer
import CanopyStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Anonymization in the server: turned on through the API, user names are tokens before they are stored (logs into
/// the store, snapshot reports), stay tokens in lists and exports, and only a privacy admin resolves one, with a
/// justification that is audited.
@Suite struct AnonymizationTests {
    let api = APITests()
    let uploads = SnapshotUploadTests()

    static let log =
        "1780000000.000 5 10.0.0.1 TCP_MISS/200 100 GET https://www.dropbox.com/a alice@corp.example DIRECT/162.125.1.1 -\n"
        + "1780000001.000 5 10.0.0.2 TCP_MISS/200 50 GET https://www.dropbox.com/b bob@corp.example DIRECT/162.125.1.1 -\n"

    @Test func namesAreTokensInTheStoreAndOnlyAPrivacyAdminResolvesOne() async throws {
        try await api.withServer { server, tokens in
            let app = Application(router: server.router(clock: { APITests.now }))
            try await app.test(.router) { client in
                let admin = tokens[.securityAdmin]
                let path = "/api/v1/settings/anonymization"
                #expect(try api.json(try await api.get(client, path, token: admin))["enabled"] as? Bool == false)
                #expect(
                    try await api.send(client, .put, path, token: tokens[.securityReader], json: #"{"enabled":true}"#)
                        .status == .forbidden
                )
                #expect(try await api.send(client, .put, path, token: admin, json: #"{"enabled":true}"#).status == .ok)
                #expect(try api.json(try await api.get(client, path, token: admin))["enabled"] as? Bool == true)
                // The key is in the store only sealed: nonce, 32 encrypted bytes, tag.
                let sealed = try #require(try await server.store.setting("discovery.anonymization.key"))
                #expect(Data(base64Encoded: sealed)?.count == 12 + 32 + 16)

                // Logs read into the store the way data sources and folders write them.
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anon-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: dir) }
                try Self.log.write(to: dir.appendingPathComponent("squid.log"), atomically: true, encoding: .utf8)
                _ = try await DiscoveryIngest.ingest(
                    paths: [dir.path],
                    catalog: try SnapshotUploadTests.catalog(),
                    store: server.store,
                    pseudonymize: try await server.pseudonymizer()
                )
                let reader = tokens[.securityReader]
                let usersPath = "/api/v1/discovery/users?from=2026-05-28&to=2026-05-29"
                let users = try api.json(try await api.get(client, usersPath, token: reader))
                // The fixture's user was stored before anonymization was on and keeps its name; the new ones are tokens.
                let listed = (users["items"] as? [[String: Any]] ?? []).compactMap { $0["user"] as? String }
                let names = listed.filter { $0.hasPrefix("anon-") }
                #expect(names.count == 2 && listed.count == 3, "\(listed)")
                let csv = String(buffer: try await api.get(client, usersPath + "&format=csv", token: reader).body)
                #expect(!csv.contains("alice") && !csv.contains("bob") && csv.contains("anon-"))

                // Resolving: privacy admins only, with a justification, audited without the name.
                let resolve = "/api/v1/privacy/deanonymize"
                let token = try #require(names.first)
                let body = #"{"token":"\#(token)","justification":"incident 4711: data exfiltration"}"#
                for role in [Role.securityAdmin, .securityReader, .securityOperator] {
                    #expect(
                        try await api.send(client, .post, resolve, token: tokens[role], json: body).status == .forbidden
                    )
                }
                let privacy = tokens[.complianceAdmin]
                let short = #"{"token":"\#(token)","justification":"why"}"#
                #expect(try await api.send(client, .post, resolve, token: privacy, json: short).status == .badRequest)
                let resolved = try api.json(try await api.send(client, .post, resolve, token: privacy, json: body))
                #expect(["alice@corp.example", "bob@corp.example"].contains(resolved["name"] as? String ?? ""))
                let foreign =
                    #"{"token":"anon-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","justification":"incident 4711: check"}"#
                #expect(try await api.send(client, .post, resolve, token: privacy, json: foreign).status == .notFound)
                let audit = try await server.store.auditEntries(before: nil, limit: 5).map(\.entry)
                    .filter { $0.action == "privacy.deanonymize" }
                #expect(audit.count == 2 && audit.last?.target == token)
                #expect(audit.last?.detail == "resolved: incident 4711: data exfiltration")
                #expect(audit.allSatisfy { !$0.detail.contains("@corp.example") })

                // A privacy request by the real name finds what is stored under the token.
                let export = try api.json(
                    try await api.get(client, "/api/v1/privacy/user?name=alice%40corp.example", token: privacy)
                )
                #expect((export["discovery"] as? [[String: Any]])?.count == 1)

                #expect(try await api.send(client, .put, path, token: admin, json: #"{"enabled":false}"#).status == .ok)
                #expect(try await server.pseudonymizer() == nil)
                let changes = try await server.store.auditEntries(before: nil, limit: 20).map(\.entry)
                    .filter { $0.action == "settings.anonymization" }
                #expect(changes.count == 2)
            }
        }
    }

    @Test func aSnapshotReportMadeWhileAnonymizationIsOnHoldsTokens() async throws {
        try await uploads.withServer { _, token, _, client in
            let on = try await client.execute(
                uri: "/api/v1/settings/anonymization",
                method: .put,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"enabled":true}"#)
            )
            #expect(on.status == .ok)
            let response = try await uploads.post(
                client,
                "/api/v1/discovery/snapshots?format=squid.native&filename=a.log",
                token: token,
                contentType: "application/octet-stream",
                body: Data(Self.log.utf8)
            )
            let id = try #require(try uploads.json(response)["id"] as? Int)
            let done = try await uploads.finished(client, id: id, token: token)
            let report = try #require(done["report"] as? [String: Any])
            #expect(report["anonymized"] as? Bool == true)
            let users = (report["users"] as? [[String: Any]] ?? []).compactMap { $0["user"] as? String }
            #expect(users.count == 2 && users.allSatisfy { $0.hasPrefix("anon-") }, "\(users)")
            let text = String(
                buffer: try await client.execute(
                    uri: "/api/v1/discovery/snapshots/\(id)",
                    method: .get,
                    headers: [.authorization: "Bearer \(token)"]
                ).body
            )
            #expect(!text.contains("alice") && !text.contains("bob@"))
        }
    }

    @Test func thePortalTurnsItOnAndAPrivacyAdminResolvesATokenThere() async throws {
        try await PortalTests().withPortal { server, client in
            var admin = PortalTests.Browser(client: client)
            _ = try await admin.signIn("global-admin", PortalTests.password)
            let csrf = try await admin.csrf()
            let form = [("_csrf", csrf), ("retentionDays", "90"), ("unknown", "ignore"), ("anonymize", "on")]
            #expect(try await admin.send("/settings", .post, form: form).status == .seeOther)
            let settings = String(buffer: try await admin.send("/settings").body)
            #expect(
                settings.contains(#"name="anonymize" value="on" checked"#)
                    && settings.contains("Resolve an anonymized name")
            )
            let anonymizer = try #require(try await server.pseudonymizer())
            let token = anonymizer("carol@corp.example")
            let resolved = try await admin.send(
                "/settings/deanonymize",
                .post,
                form: [("_csrf", csrf), ("token", token), ("justification", "legal hold request 12")]
            )
            #expect(
                resolved.status == .ok && String(buffer: resolved.body).contains("<strong>carol@corp.example</strong>")
            )
            let bad = try await admin.send(
                "/settings/deanonymize",
                .post,
                form: [("_csrf", csrf), ("token", token), ("justification", "")]
            )
            #expect(bad.status == .badRequest)

            var reader = PortalTests.Browser(client: client)
            _ = try await reader.signIn("security-reader", PortalTests.password)
            let readerCSRF = try await reader.csrf()
            #expect(!String(buffer: try await reader.send("/settings").body).contains("Resolve an anonymized name"))
            let refused = try await reader.send(
                "/settings/deanonymize",
                .post,
                form: [("_csrf", readerCSRF), ("token", token), ("justification", "curious about this one")]
            )
            #expect(refused.status == .forbidden)
        }
    }
}
