import CanopyServer
import CanopyStore
import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Testing

/// Admins through the API: created with a one-time password shown once (stored only as a bcrypt hash, to be changed
/// at first sign-in), roles changed (their sessions end), deleted; every change audited; only global admins may.
@Suite struct AdminAPITests {
    let api = APITests()

    @Test func adminsAreCreatedWithAOneTimePasswordRoleChangedAndDeleted() async throws {
        try await api.withServer { server, tokens in
            let app = Application(router: server.router(clock: { APITests.now }))
            try await app.test(.router) { client in
                let global = tokens[.globalAdmin]
                let body = #"{"name":"carol@example.com","role":"security-operator"}"#
                #expect(
                    try await api.send(client, .post, "/api/v1/admins", token: tokens[.securityAdmin], json: body)
                        .status == .forbidden
                )
                let created = try await api.send(client, .post, "/api/v1/admins", token: global, json: body)
                #expect(created.status == .created)
                let json = try api.json(created)
                let password = try #require(json["oneTimePassword"] as? String)
                let admin = try #require(json["admin"] as? [String: Any])
                #expect(admin["role"] as? String == "security-operator" && admin["mustChangePassword"] as? Bool == true)
                #expect(admin["passwordHash"] == nil && !String(buffer: created.body).contains("$2"))
                let stored = try #require(try await server.store.admin(named: "carol@example.com"))
                #expect(Bcrypt.verify(password, hash: stored.passwordHash) && stored.mustChangePassword)
                #expect(
                    try await api.send(client, .post, "/api/v1/admins", token: global, json: body).status == .conflict
                )
                for bad in [#"{"name":"no spaces","role":"security-reader"}"#, #"{"name":"x","role":"root"}"#, "{}"] {
                    #expect(
                        try await api.send(client, .post, "/api/v1/admins", token: global, json: bad).status
                            == .badRequest
                    )
                }

                try await server.store.createSession(
                    AdminSession(
                        idHash: "h",
                        admin: "carol@example.com",
                        csrfToken: "c",
                        createdAt: APITests.now,
                        lastSeen: APITests.now,
                        expiresAt: APITests.now + 3_600_000,
                        sourceIP: nil
                    )
                )
                let changed = try await api.send(
                    client,
                    .put,
                    "/api/v1/admins/carol@example.com",
                    token: global,
                    json: #"{"role":"security-reader"}"#
                )
                #expect(try api.json(changed)["role"] as? String == "security-reader")
                #expect(try await server.store.session(idHash: "h") == nil)
                #expect(
                    try await api.send(
                        client,
                        .put,
                        "/api/v1/admins/nobody",
                        token: global,
                        json: #"{"role":"security-reader"}"#
                    )
                    .status == .notFound
                )
                #expect(
                    try await api.send(client, .delete, "/api/v1/admins/carol@example.com", token: global).status
                        == .noContent
                )
                #expect(
                    try await api.send(client, .delete, "/api/v1/admins/carol@example.com", token: global).status
                        == .notFound
                )

                let audit = try await server.store.auditEntries(before: nil, limit: 10).map(\.entry)
                    .filter { $0.action.hasPrefix("admin.") }
                #expect(audit.map(\.action) == ["admin.delete", "admin.role", "admin.create"])
                #expect(
                    audit[1].detail == "security-operator → security-reader"
                        && audit.allSatisfy { $0.actor == "global-admin" }
                )
                #expect(!audit.contains { $0.detail.contains(password) })
            }
        }
    }
}
