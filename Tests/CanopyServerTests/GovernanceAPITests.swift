import CanopyServer
import CanopyStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The governance log through the API and the portal: tagging apps and generating block lists are recorded with who
/// did them, and the log is filtered, paged, exported and escaped.
@Suite struct GovernanceAPITests {
    let api = APITests()

    @Test func taggingAndBlockListsLandInTheGovernanceLogWithTheirFilters() async throws {
        try await api.withServer { server, tokens in
            let app = Application(router: server.router(clock: { APITests.now }))
            try await app.test(.router) { client in
                let admin = tokens[.securityAdmin]
                for (method, path) in [
                    (HTTPRequest.Method.put, "/api/v1/apps/dropbox/tags/unsanctioned"),
                    (.put, "/api/v1/apps/dropbox/tags/sanctioned"),
                    (.put, "/api/v1/apps/box/tags/needs-review"),
                    (.delete, "/api/v1/apps/box/tags/needs-review"),
                    (.put, "/api/v1/apps/slack/tags/unsanctioned"),
                ] {
                    #expect((200..<300).contains(try await api.send(client, method, path, token: admin).status.code))
                }
                // A tag already there changes nothing and records nothing.
                _ = try await api.send(client, .put, "/api/v1/apps/slack/tags/unsanctioned", token: admin)
                let reader = tokens[.securityReader]
                #expect(
                    try await api.get(client, "/api/v1/discovery/blocklist?format=rpz", token: reader).status == .ok
                )

                let log = try api.json(try await api.get(client, "/api/v1/governance", token: reader))
                let items = try #require(log["items"] as? [[String: Any]])
                #expect(
                    items.map { "\($0["action"] ?? "") \($0["target"] ?? "")" } == [
                        "blocklist.generate rpz", "app.unsanction slack", "app.untag box", "app.tag box",
                        "app.sanction dropbox", "app.unsanction dropbox",
                    ]
                )
                #expect(items.first?["initiatedBy"] as? String == "security-reader")
                #expect((items.first?["detail"] as? String)?.hasPrefix("1 unsanctioned app, ") == true)
                #expect(items[4]["detail"] as? String == "tagged sanctioned, was unsanctioned")
                #expect(items.allSatisfy { $0["status"] as? String == "succeeded" && $0["kind"] as? String == "app" })

                func targets(_ query: String) async throws -> [String] {
                    let page = try api.json(try await api.get(client, "/api/v1/governance?" + query, token: reader))
                    return (page["items"] as? [[String: Any]] ?? []).compactMap { $0["target"] as? String }
                }
                #expect(try await targets("action=app.unsanction") == ["slack", "dropbox"])
                #expect(try await targets("target=box") == ["box", "box"])
                #expect(try await targets("status=failed").isEmpty)
                #expect(try await targets("from=2000-01-01&to=2000-01-02").isEmpty)
                #expect(try await targets("kind=app&action=blocklist.generate") == ["rpz"])
                for bad in ["status=done", "from=yesterday", "from=2026-05-02&to=2026-05-01"] {
                    #expect(try await api.get(client, "/api/v1/governance?" + bad, token: reader).status == .badRequest)
                }

                let first = try api.json(try await api.get(client, "/api/v1/governance?limit=4", token: reader))
                let cursor = try #require(first["nextCursor"] as? String)
                let second = try api.json(
                    try await api.get(client, "/api/v1/governance?limit=4&cursor=\(cursor)", token: reader)
                )
                #expect((second["items"] as? [[String: Any]])?.count == 2 && second["nextCursor"] == nil)
                let csv = String(buffer: try await api.get(client, "/api/v1/governance?format=csv", token: reader).body)
                #expect(csv.hasPrefix("id,time,kind,action,target,detail,status,initiatedBy,error\r\n"))
                #expect(csv.split(separator: "\r\n").count == 7)
                #expect(try await api.get(client, "/api/v1/governance", token: nil).status == .unauthorized)
            }
        }
    }

    @Test func thePortalShowsTheGovernanceLogFilteredAndEscaped() async throws {
        try await PortalTests().withPortal { server, client in
            for i in 0..<3 {
                try await server.store.appendGovernance(
                    GovernanceEntry(
                        time: 1_780_000_000_000 + Int64(i),
                        kind: "app",
                        action: i == 2 ? "blocklist.generate" : "app.unsanction",
                        target: "<b>app\(i)</b>",
                        detail: "step \(i)",
                        status: i == 1 ? .failed : .succeeded,
                        initiatedBy: "alice",
                        error: i == 1 ? "<i>refused</i>" : nil
                    )
                )
            }
            var reader = PortalTests.Browser(client: client)
            _ = try await reader.signIn("security-reader", PortalTests.password)
            let page = String(buffer: try await reader.send("/governance").body)
            #expect(page.contains("&lt;b&gt;app0&lt;/b&gt;") && !page.contains("<b>app0"))
            #expect(page.contains("step 1 — &lt;i&gt;refused&lt;/i&gt;"))
            #expect(page.contains(#"aria-current="page">Governance log"#))
            let failed = String(buffer: try await reader.send("/governance?status=failed").body)
            #expect(failed.contains("app1") && !failed.contains("app0") && !failed.contains("app2"))
            #expect(failed.contains(#"<option value="failed" selected>"#))
            let lists = String(buffer: try await reader.send("/governance?action=blocklist.generate").body)
            #expect(lists.contains("app2") && !lists.contains("app1"))
            #expect(try await reader.send("/governance?status=nope").status == .badRequest)
        }
    }
}
