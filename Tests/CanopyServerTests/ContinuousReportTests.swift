import CanopyServer
import CanopyStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Continuous reports: the global report over every data source and one per data source, through the API
/// (`/api/v1/discovery/reports`, `report=` on apps, users and IPs) and the portal's report selector.
@Suite struct ContinuousReportTests {
    static let now = APITests.now
    static var today: Int32 { APITests.today }

    static func source(_ name: String, port: Int) -> DataSource {
        DataSource(name: name, format: "squid.native", transport: .udp, port: port, createdBy: "test", createdAt: now)
    }

    static func row(_ app: String, user: String, ip: String, bytes: Int64, source: Int64) -> DiscoveryRow {
        DiscoveryRow(
            day: today,
            app: app,
            user: user,
            sourceIP: ip,
            bytesUp: 1,
            bytesDown: bytes - 1,
            bytesTotal: bytes,
            transactions: 2,
            blocked: 0,
            firstSeen: now,
            lastSeen: now,
            dataSource: source
        )
    }

    /// Two data sources with their own traffic beside the fixture's (stored without a source).
    static func addSources(to store: any Store) async throws -> (hq: Int64, branch: Int64) {
        let hq = try #require(try await store.createDataSource(source("hq-squid", port: 5514)))
        let branch = try #require(try await store.createDataSource(source("branch-fw", port: 5515)))
        try await store.addDiscovery([
            row("dropbox", user: "alice@example.com", ip: "10.1.0.1", bytes: 50_000, source: hq),
            row("slack", user: "alice@example.com", ip: "10.1.0.1", bytes: 7_000, source: hq),
            row("zoom", user: "carol@example.com", ip: "10.2.0.1", bytes: 9_000, source: branch),
        ])
        return (hq, branch)
    }

    @Test func theAPIListsTheGlobalReportAndOnePerDataSourceAndEveryDiscoveryListTakesOne() async throws {
        let api = APITests()
        try await api.withServer { server, tokens in
            let (hq, branch) = try await Self.addSources(to: server.store)
            let app = Application(router: server.router(clock: { Self.now }))
            try await app.test(.router) { client in
                let reader = tokens[.securityReader]
                let reports = try api.json(try await api.get(client, "/api/v1/discovery/reports", token: reader))
                let items = try #require(reports["items"] as? [[String: Any]])
                #expect(items.compactMap { $0["id"] as? String } == ["global", String(hq), String(branch)])
                #expect(items.compactMap { $0["name"] as? String } == ["Global report", "hq-squid", "branch-fw"])
                #expect(items[0]["dataSource"] == nil && items[0]["status"] == nil)
                #expect(items[1]["dataSource"] as? Int64 == hq)
                #expect(items[1]["status"] as? String == "waiting")
                // The fixture's five apps by one user, plus the sources' two users.
                #expect(items.map { $0["apps"] as? Int } == [5, 2, 1])
                #expect(items.map { $0["users"] as? Int } == [3, 1, 1])
                #expect(items.map { $0["bytesTotal"] as? Int64 } == [15_005 + 66_000, 57_000, 9_000])
                let csv = String(
                    buffer: try await api.get(client, "/api/v1/discovery/reports?format=csv", token: reader).body
                )
                #expect(csv.hasPrefix("id,name,dataSource,status,apps"))
                #expect(csv.contains("\n\(hq),hq-squid,\(hq),waiting,2,1,1,"))

                func keys(_ path: String, _ field: String) async throws -> [String] {
                    let page = try api.json(try await api.get(client, path, token: reader))
                    return (page["items"] as? [[String: Any]])?.compactMap { $0[field] as? String } ?? []
                }
                #expect(try await keys("/api/v1/discovery/apps?report=\(hq)", "app") == ["dropbox", "slack"])
                #expect(try await keys("/api/v1/discovery/apps?report=\(branch)", "app") == ["zoom"])
                #expect(try await keys("/api/v1/discovery/apps?report=global", "app").count == 5)
                #expect(try await keys("/api/v1/discovery/apps", "app").count == 5)
                #expect(try await keys("/api/v1/discovery/users?report=\(hq)", "user") == ["alice@example.com"])
                #expect(try await keys("/api/v1/discovery/ips?report=\(branch)", "ip") == ["10.2.0.1"])
                #expect(
                    try await keys("/api/v1/discovery/users?report=\(hq)&app=zoom", "user").isEmpty,
                    "zoom came through the branch only"
                )
                let dropbox = try api.json(
                    try await api.get(client, "/api/v1/discovery/apps?report=global", token: reader)
                )
                let global = (dropbox["items"] as? [[String: Any]])?.first { $0["app"] as? String == "dropbox" }
                #expect(global?["users"] as? Int == 2, "the fixture's user and alice, merged across sources")

                let unknown = try await api.get(client, "/api/v1/discovery/apps?report=999", token: reader)
                #expect(unknown.status == .notFound)
                #expect(String(buffer: unknown.body).contains("no data source 999"))
                for bad in ["abc", "-", "1.5"] {
                    #expect(
                        try await api.get(client, "/api/v1/discovery/users?report=\(bad)", token: reader).status
                            == .badRequest
                    )
                }
                #expect(try await api.get(client, "/api/v1/discovery/reports", token: nil).status == .unauthorized)
            }
        }
    }

    @Test func thePortalChoosesAReportOnEveryDiscoveryPageAndKeepsItInItsLinks() async throws {
        try await PortalTests().withPortal { server, client in
            let (hq, _) = try await Self.addSources(to: server.store)
            var browser = PortalTests.Browser(client: client)
            _ = try await browser.signIn("security-reader", PortalTests.password)

            let dashboard = String(buffer: try await browser.send("/?report=\(hq)&days=7").body)
            #expect(dashboard.contains(#"<option value="\#(hq)" selected>hq-squid</option>"#))
            #expect(dashboard.contains(#"<option value="global">Global report</option>"#))
            #expect(dashboard.contains("/discovery/apps?days=7&amp;report=\(hq)"))
            #expect(dashboard.contains("alice@example.com"))
            #expect(!dashboard.contains("bob@example.com"), "bob is in the global report only")

            let global = String(buffer: try await browser.send("/").body)
            #expect(global.contains(#"<option value="global" selected>Global report</option>"#))
            #expect(global.contains("bob@example.com") && global.contains("alice@example.com"))

            let apps = String(buffer: try await browser.send("/discovery/apps?report=\(hq)").body)
            #expect(apps.contains("/discovery/apps/dropbox?days=30&amp;report=\(hq)"))
            #expect(!apps.contains("/discovery/apps/microsoft-teams"))

            let users = String(buffer: try await browser.send("/discovery/users?report=\(hq)").body)
            #expect(users.contains("alice@example.com") && !users.contains("bob@example.com"))
            let ips = String(buffer: try await browser.send("/discovery/ips?report=\(hq)").body)
            #expect(ips.contains(#"<input type="hidden" name="report" value="\#(hq)">"#))

            let page = String(buffer: try await browser.send("/discovery/apps/dropbox?report=\(hq)").body)
            #expect(page.contains("alice@example.com") && !page.contains("bob@example.com"))

            let sources = String(buffer: try await browser.send("/datasources").body)
            #expect(sources.contains(#"<a href="/?report=\#(hq)">Its report</a>"#))

            #expect(try await browser.send("/?report=999").status == .notFound)
            #expect(try await browser.send("/discovery/apps?report=x").status == .badRequest)
        }
    }
}
