import CanopyServer
import CanopyStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// IP address ranges through the API: checked, unique by name, audited, and shown with every discovered source IP
/// (the most specific block wins), which can be filtered by range category.
@Suite struct IPRangeAPITests {
    let api = APITests()

    @Test func rangesAreCheckedAuditedAndLabelDiscoveredIPs() async throws {
        try await api.withServer { server, tokens in
            let app = Application(router: server.router(clock: { APITests.now }))
            try await app.test(.router) { client in
                let admin = tokens[.securityAdmin]
                let hq =
                    #"{"name":"HQ <b>","category":"corporate","blocks":["10.0.0.9/24"," ","fd00::/8"],"tags":["office","eu","office"]}"#
                let created = try await api.send(client, .post, "/api/v1/ip-ranges", token: admin, json: hq)
                #expect(created.status == .created)
                let body = try api.json(created)
                #expect(body["blocks"] as? [String] == ["10.0.0.0/24", "fd00::/8"])
                #expect(
                    body["tags"] as? [String] == ["office", "eu"] && body["createdBy"] as? String == "security-admin"
                )
                let hqID = try #require(body["id"] as? Int)
                #expect(
                    try await api.send(client, .post, "/api/v1/ip-ranges", token: admin, json: hq).status == .conflict
                )

                for (bad, reason) in [
                    (#"{"name":"x","category":"office","blocks":["10.0.0.0/8"]}"#, "category"),
                    (#"{"name":"x","category":"vpn","blocks":["10.0.0.0/33"]}"#, "10.0.0.0/33"),
                    (#"{"name":"x","category":"vpn","blocks":[]}"#, "1 to 1000"),
                    (#"{"name":"","category":"vpn","blocks":["10.0.0.0/8"]}"#, "name"),
                    (#"{"name":"x","category":"vpn","blocks":["10.0.0.0/8"],"tags":["no spaces"]}"#, "tag"),
                    (#"{"name":"x"}"#, "body"),
                ] {
                    let response = try await api.send(client, .post, "/api/v1/ip-ranges", token: admin, json: bad)
                    #expect(response.status == .badRequest, "\(bad)")
                    let message = (try api.json(response)["error"] as? [String: Any])?["message"] as? String ?? ""
                    #expect(message.contains(reason), "\(message)")
                }
                #expect(
                    try await api.send(client, .post, "/api/v1/ip-ranges", token: tokens[.securityReader], json: hq)
                        .status == .forbidden
                )

                let desk = #"{"name":"Admin desk","category":"administrative","blocks":["10.0.0.3"]}"#
                let deskResponse = try await api.send(client, .post, "/api/v1/ip-ranges", token: admin, json: desk)
                let deskID = try #require(try api.json(deskResponse)["id"] as? Int)

                // Every IP of the fixture is in 10.0.0.0/24; 10.0.0.3 is in the more specific /32.
                let ips = try api.json(try await api.get(client, "/api/v1/discovery/ips?days=30", token: admin))
                let items = try #require(ips["items"] as? [[String: Any]])
                #expect(items.count == 5)
                for item in items {
                    let range = try #require(item["ipRange"] as? [String: Any])
                    let expected = item["ip"] as? String == "10.0.0.3" ? "Admin desk" : "HQ <b>"
                    #expect(range["name"] as? String == expected)
                }
                let administrative = try api.json(
                    try await api.get(client, "/api/v1/discovery/ips?days=30&category=administrative", token: admin)
                )
                #expect(
                    (administrative["items"] as? [[String: Any]])?.compactMap { $0["ip"] as? String } == ["10.0.0.3"]
                )
                let csv = try await api.get(client, "/api/v1/discovery/ips?days=30&format=csv", token: admin)
                #expect(String(buffer: csv.body).contains(",HQ <b>,corporate,office eu"))
                #expect(
                    try await api.get(client, "/api/v1/discovery/users?category=vpn", token: admin).status
                        == .badRequest
                )

                let renamed = #"{"name":"Admin desk","category":"risky","blocks":["10.0.0.0/25"]}"#
                #expect(
                    try await api.send(client, .put, "/api/v1/ip-ranges/\(hqID)", token: admin, json: renamed).status
                        == .conflict
                )
                let moved = #"{"name":"HQ","category":"risky","blocks":["10.0.0.0/25"]}"#
                let updated = try await api.send(client, .put, "/api/v1/ip-ranges/\(hqID)", token: admin, json: moved)
                #expect(try api.json(updated)["category"] as? String == "risky")
                #expect(
                    try await api.send(client, .put, "/api/v1/ip-ranges/999999", token: admin, json: moved).status
                        == .notFound
                )
                let list = try api.json(try await api.get(client, "/api/v1/ip-ranges?category=risky", token: admin))
                #expect((list["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["HQ"])

                #expect(
                    try await api.send(client, .delete, "/api/v1/ip-ranges/\(deskID)", token: admin).status
                        == .noContent
                )
                #expect(
                    try await api.send(client, .delete, "/api/v1/ip-ranges/\(deskID)", token: admin).status == .notFound
                )
                let actions = try await server.store.auditEntries(before: nil, limit: 20).map(\.entry)
                    .filter { $0.action.hasPrefix("ip_range.") }
                #expect(
                    actions.map(\.action) == [
                        "ip_range.delete", "ip_range.update", "ip_range.create", "ip_range.create",
                    ]
                )
                #expect(actions.allSatisfy { $0.actor == "security-admin" })
                #expect(actions[1].detail.contains("category risky; 1 blocks: 10.0.0.0/25"))
            }
        }
    }
}
