import CanopyServer
import CanopyStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The tags in use: counted per tag through the API and on the settings page, and a custom tag deleted from every
/// app at once (audited and in the governance log per app); built-in tags stay.
@Suite struct TagSettingsTests {
    @Test func tagsAreCountedAndACustomTagIsDeletedFromEveryApp() async throws {
        try await APITests().withServer { server, tokens in
            let api = APITests()
            for (tag, app) in [
                ("sanctioned", "box"), ("unsanctioned", "dropbox"), ("needs-review", "dropbox"),
                ("needs-review", "slack"), ("legal-hold", "zoom"),
            ] {
                _ = try await server.store.addTag(tag, to: app)
            }
            let app = Application(router: server.router(clock: { APITests.now }))
            try await app.test(.router) { client in
                let reader = tokens[.securityReader]
                let page = try api.json(try await api.get(client, "/api/v1/tags", token: reader))
                let items = try #require(page["items"] as? [[String: Any]])
                #expect(
                    items.map {
                        "\($0["tag"] as? String ?? "") \($0["apps"] as? Int ?? -1) \($0["builtIn"] as? Bool ?? false)"
                    } == [
                        "sanctioned 1 true", "unsanctioned 1 true", "legal-hold 1 false", "needs-review 2 false",
                    ]
                )
                let admin = tokens[.securityAdmin]
                #expect(
                    try await api.send(client, .delete, "/api/v1/tags/needs-review", token: reader).status == .forbidden
                )
                #expect(
                    try await api.send(client, .delete, "/api/v1/tags/unsanctioned", token: admin).status == .badRequest
                )
                #expect(
                    try await api.send(client, .delete, "/api/v1/tags/nobody-has-it", token: admin).status == .notFound
                )
                let deleted = try api.json(
                    try await api.send(client, .delete, "/api/v1/tags/needs-review", token: admin)
                )
                #expect(deleted["apps"] as? Int == 2)
                let tags = try await server.store.appTags()
                #expect(tags["dropbox"] == ["unsanctioned"] && tags["slack"]?.isEmpty != false)
                let governance = try await server.store.governanceEntries(
                    GovernanceFilter(action: "app.untag"),
                    before: nil,
                    limit: 10
                )
                #expect(governance.map(\.entry.target).sorted() == ["dropbox", "slack"])
            }
        }
    }

    @Test func theSettingsPageListsTagsAndDeletesACustomOne() async throws {
        try await PortalTests().withPortal { server, client in
            _ = try await server.store.addTag("needs-review", to: "dropbox")
            _ = try await server.store.addTag("sanctioned", to: "microsoft-teams")
            var admin = PortalTests.Browser(client: client)
            _ = try await admin.signIn("security-admin", PortalTests.password)
            let csrf = try await admin.csrf()
            let settings = String(buffer: try await admin.send("/settings").body)
            #expect(settings.contains(#"<a href="/discovery/apps?tag=needs-review">needs-review</a>"#))
            #expect(settings.contains(#"action="/settings/tags/needs-review/delete""#))
            #expect(!settings.contains(#"action="/settings/tags/sanctioned/delete""#))
            let deleted = try await admin.send("/settings/tags/needs-review/delete", .post, form: [("_csrf", csrf)])
            #expect(deleted.status == .seeOther)
            #expect(try await server.store.appTags()["dropbox"]?.isEmpty != false)
            #expect(
                try await admin.send("/settings/tags/sanctioned/delete", .post, form: [("_csrf", csrf)]).status
                    == .badRequest
            )
            var reader = PortalTests.Browser(client: client)
            _ = try await reader.signIn("security-reader", PortalTests.password)
            #expect(!String(buffer: try await reader.send("/settings").body).contains("Delete tag"))
        }
    }
}
