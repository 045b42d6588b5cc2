import CanopyServer
import CanopyStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Testing

/// App-scoped admins: created with their apps (API and portal), they see and tag only those apps and their
/// governance log, and nothing organization-wide.
@Suite struct AppAdminTests {
    @Test func appAdminsAreCreatedWithTheirAppsAndTokensCannotBeOne() async throws {
        let api = APITests()
        try await api.withServer { server, tokens in
            let app = Application(router: server.router(clock: { APITests.now }))
            try await app.test(.router) { client in
                let global = tokens[.globalAdmin]
                let created = try await api.send(
                    client,
                    .post,
                    "/api/v1/admins",
                    token: global,
                    json: #"{"name":"carol","role":"app-admin","apps":["dropbox","box","dropbox"]}"#
                )
                #expect(created.status == .created)
                #expect((try api.json(created)["admin"] as? [String: Any])?["apps"] as? [String] == ["box", "dropbox"])
                for bad in [
                    #"{"name":"dave","role":"app-admin"}"#, #"{"name":"dave","role":"app-admin","apps":["Not An Id"]}"#,
                    #"{"name":"dave","role":"security-reader","apps":["box"]}"#,
                ] {
                    #expect(
                        try await api.send(client, .post, "/api/v1/admins", token: global, json: bad).status
                            == .badRequest
                    )
                }
                let changed = try await api.send(
                    client,
                    .put,
                    "/api/v1/admins/carol",
                    token: global,
                    json: #"{"role":"app-admin","apps":["slack"]}"#
                )
                #expect(try api.json(changed)["apps"] as? [String] == ["slack"])
                #expect(try await server.store.adminApps(named: "carol") == ["slack"])
                let audit = try #require(try await server.store.auditEntries(before: nil, limit: 1).first?.entry)
                #expect(audit.action == "admin.role" && audit.detail.contains("apps slack"))
                let token = try await api.send(
                    client,
                    .post,
                    "/api/v1/tokens",
                    token: global,
                    json: #"{"name":"t","role":"app-admin","days":1}"#
                )
                #expect(token.status == .badRequest)
                #expect(try await api.send(client, .delete, "/api/v1/admins/carol", token: global).status == .noContent)
                #expect(try await server.store.adminApps(named: "carol").isEmpty)
            }
        }
    }

    @Test func anAppAdminSeesAndTagsOnlyItsApps() async throws {
        try await PortalTests().withPortal { server, client in
            _ = try await server.store.createAdmin(
                AdminAccount(
                    name: "carol",
                    passwordHash: Bcrypt.hash(PortalTests.password, cost: 4),
                    role: "app-admin",
                    mustChangePassword: false,
                    createdAt: 1
                )
            )
            try await server.store.setAdminApps(["dropbox"], for: "carol")
            for target in ["dropbox", "microsoft-teams"] {
                try await server.store.appendGovernance(
                    GovernanceEntry(time: 1, kind: "app", action: "app.tag", target: target, initiatedBy: "x")
                )
            }
            var carol = PortalTests.Browser(client: client)
            _ = try await carol.signIn("carol", PortalTests.password)
            let start = try await carol.send("/")
            #expect(start.status == .seeOther && start.headers[.location] == "/discovery/apps")
            let apps = String(buffer: try await carol.send("/discovery/apps").body)
            #expect(apps.contains(#"href="/discovery/apps/dropbox"#) && !apps.contains("microsoft-teams"))
            #expect(
                !apps.contains("/discovery/blocklist") && !apps.contains(">Dashboard<") && !apps.contains(">Audit log<")
            )
            #expect(try await carol.send("/discovery/apps/dropbox").status == .ok)
            #expect(try await carol.send("/discovery/apps/microsoft-teams").status == .forbidden)
            for page in [
                "/discovery/users", "/discovery/ips", "/audit", "/settings", "/discovery/snapshots", "/datasources",
                "/discovery/blocklist?format=squid",
            ] {
                #expect(try await carol.send(page).status == .forbidden, "\(page)")
            }
            let csrf = try await Self.csrf(&carol)
            let own = try await carol.send(
                "/discovery/apps/tags",
                .post,
                form: [("_csrf", csrf), ("action", "unsanction"), ("app", "dropbox")]
            )
            #expect(own.status == .seeOther)
            #expect(try await server.store.appTags()["dropbox"] == ["unsanctioned"])
            let other = try await carol.send(
                "/discovery/apps/tags",
                .post,
                form: [("_csrf", csrf), ("action", "sanction"), ("app", "dropbox"), ("app", "microsoft-teams")]
            )
            #expect(other.status == .forbidden)
            #expect(try await server.store.appTags()["microsoft-teams"] == nil)
            let governance = String(buffer: try await carol.send("/governance").body)
            #expect(governance.contains("<td>dropbox</td>") && !governance.contains("microsoft-teams"))
        }
    }

    /// The CSRF token from a page an app admin can open.
    static func csrf(_ browser: inout PortalTests.Browser) async throws -> String {
        let page = String(buffer: try await browser.send("/discovery/apps").body)
        let marker = #"<meta name="csrf-token" content=""#
        let start = try #require(page.range(of: marker)).upperBound
        return String(page[start...].prefix { $0 != "\"" })
    }
}
