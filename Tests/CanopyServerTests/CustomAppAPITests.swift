import CanopyServer
import CanopyStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Custom apps through the API: checked against the catalog, audited, part of the catalog, the score and the block
/// list at once, and matched in uploads made after they are saved.
@Suite struct CustomAppAPITests {
    let api = APITests()
    let uploads = SnapshotUploadTests()

    @Test func customAppsAreCheckedAuditedAndJoinTheCatalogScoresAndBlockList() async throws {
        try await api.withServer { server, tokens in
            let app = Application(router: server.router(clock: { APITests.now }))
            try await app.test(.router) { client in
                let admin = tokens[.securityAdmin]
                let path = "/api/v1/discovery/custom-apps"
                let erp =
                    #"{"id":"acme-erp","name":"ACME <ERP>","vendor":"ACME","category":"business-management","domains":["*.ERP.Acme-Corp.example.","bücher.example","erp.acme-corp.example"],"ipRanges":["192.0.2.9/24"],"score":3,"note":"reviewed"}"#
                let created = try await api.send(client, .post, path, token: admin, json: erp)
                #expect(created.status == .created)
                let body = try api.json(created)
                #expect(body["domains"] as? [String] == ["erp.acme-corp.example", "xn--bcher-kva.example"])
                #expect(body["ipRanges"] as? [String] == ["192.0.2.0/24"])
                #expect(body["createdBy"] as? String == "security-admin" && body["score"] as? Double == 3)
                #expect(try await api.send(client, .post, path, token: admin, json: erp).status == .conflict)
                let shipped = #"{"id":"box","name":"Box","category":"cloud-storage","domains":["box.example"]}"#
                #expect(try await api.send(client, .post, path, token: admin, json: shipped).status == .conflict)

                for (bad, reason) in [
                    (#"{"id":"Bad Id","name":"x","category":"productivity","domains":["x.example"]}"#, "id"),
                    (#"{"id":"x","name":"x","category":"nowhere","domains":["x.example"]}"#, "category"),
                    (#"{"id":"x","name":"x","category":"productivity","domains":["not a domain"]}"#, "not a domain"),
                    (#"{"id":"x","name":"x","category":"productivity","domains":["10.0.0.1"]}"#, "10.0.0.1"),
                    (#"{"id":"x","name":"x","category":"productivity","domains":["localhost"]}"#, "localhost"),
                    (#"{"id":"x","name":"x","category":"productivity","ipRanges":["10.0.0.0/33"]}"#, "10.0.0.0/33"),
                    (#"{"id":"x","name":"x","category":"productivity"}"#, "1 to 200"),
                    (#"{"id":"x","name":"","category":"productivity","domains":["x.example"]}"#, "name"),
                    (#"{"id":"x","name":"x","category":"productivity","domains":["x.example"],"score":11}"#, "score"),
                    (#"{"id":"x"}"#, "body"),
                ] {
                    let response = try await api.send(client, .post, path, token: admin, json: bad)
                    #expect(response.status == .badRequest, "\(bad)")
                    let message = (try api.json(response)["error"] as? [String: Any])?["message"] as? String ?? ""
                    #expect(message.contains(reason), "\(message)")
                }
                #expect(
                    try await api.send(client, .post, path, token: tokens[.securityReader], json: erp).status
                        == .forbidden
                )

                // In the catalog, scored with its fixed score (explained as an override), until an explicit
                // override of the scoring settings replaces it.
                let search = try api.json(try await api.get(client, "/api/v1/catalog/apps?q=acme", token: admin))
                let found = try #require(
                    (search["items"] as? [[String: Any]])?.first { $0["id"] as? String == "acme-erp" }
                )
                #expect(found["score"] as? Double == 3 && found["name"] as? String == "ACME <ERP>")
                let detail = try api.json(try await api.get(client, "/api/v1/catalog/apps/acme-erp", token: admin))
                #expect(((detail["risk"] as? [String: Any])?["score"] as? Double) == 3)
                let scoring = #"{"overrides":{"acme-erp":{"score":7,"note":"after the pen test"}}}"#
                #expect(
                    try await api.send(client, .put, "/api/v1/discovery/scoring", token: admin, json: scoring).status
                        == .ok
                )
                let rescored = try api.json(try await api.get(client, "/api/v1/catalog/apps/acme-erp", token: admin))
                #expect(((rescored["risk"] as? [String: Any])?["score"] as? Double) == 7)

                // Unsanctioned, its domains are in the block list.
                #expect(
                    try await api.send(client, .put, "/api/v1/apps/acme-erp/tags/unsanctioned", token: admin, json: nil)
                        .status == .ok
                )
                let list = String(
                    buffer: try await api.get(client, "/api/v1/discovery/blocklist?format=domains", token: admin).body
                )
                #expect(list.contains("erp.acme-corp.example") && list.contains("xn--bcher-kva.example"), "\(list)")

                let update = #"{"name":"ACME ERP","category":"business-management","domains":["erp.acme.example"]}"#
                let updated = try api.json(
                    try await api.send(client, .put, path + "/acme-erp", token: admin, json: update)
                )
                #expect(updated["domains"] as? [String] == ["erp.acme.example"] && updated["score"] == nil)
                #expect(updated["createdBy"] as? String == "security-admin")
                #expect(
                    try await api.send(client, .put, path + "/nobody", token: admin, json: update).status == .notFound
                )
                let renamed = #"{"id":"other","name":"x","category":"productivity","domains":["x.example"]}"#
                #expect(
                    try await api.send(client, .put, path + "/acme-erp", token: admin, json: renamed).status
                        == .badRequest
                )
                let listed = try api.json(
                    try await api.get(client, path + "?category=business-management", token: admin)
                )
                #expect((listed["items"] as? [[String: Any]])?.map { $0["id"] as? String } == ["acme-erp"])
                let csv = String(buffer: try await api.get(client, path + "?format=csv", token: admin).body)
                #expect(csv.hasPrefix("id,name,vendor,category,domains") && csv.contains("ACME ERP"))

                #expect(
                    try await api.send(client, .delete, path + "/acme-erp", token: admin, json: nil).status
                        == .noContent
                )
                #expect(
                    try await api.send(client, .delete, path + "/acme-erp", token: admin, json: nil).status == .notFound
                )
                #expect(try await api.get(client, path + "/acme-erp", token: admin).status == .notFound)
                // Its override went with it: the scoring settings can be saved back as read.
                let after = String(buffer: try await api.get(client, "/api/v1/discovery/scoring", token: admin).body)
                #expect(!after.contains("acme-erp"))
                #expect(try await api.get(client, "/api/v1/catalog/apps/acme-erp", token: admin).status == .notFound)

                let actions = try await server.store.auditEntries(before: nil, limit: 20).map(\.entry)
                    .filter { $0.target == "acme-erp" }.map(\.action)
                #expect(actions.contains("custom_app.create") && actions.contains("custom_app.update"))
                #expect(actions.first == "custom_app.delete")
            }
        }
    }

    @Test func anUploadAfterACustomAppIsSavedAttributesItsTraffic() async throws {
        try await uploads.withServer { _, token, _, client in
            let app =
                #"{"id":"intra-wiki","name":"Intra wiki","category":"productivity","domains":["wiki.corp-example.com"],"ipRanges":["192.0.2.0/24"]}"#
            let created = try await client.execute(
                uri: "/api/v1/discovery/custom-apps",
                method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: app)
            )
            #expect(created.status == .created)
            let log =
                "1780000000.000 5 10.0.0.1 TCP_MISS/200 100 GET https://docs.wiki.corp-example.com/a alice DIRECT/198.51.100.1 -\n"
                + "1780000001.000 5 10.0.0.2 TCP_MISS/200 50 CONNECT 192.0.2.7:443 bob HIER_DIRECT/192.0.2.7 -\n"
            let response = try await uploads.post(
                client,
                "/api/v1/discovery/snapshots?format=squid.native&filename=wiki.log",
                token: token,
                contentType: "application/octet-stream",
                body: Data(log.utf8)
            )
            #expect(response.status == .accepted)
            let done = try await uploads.finished(
                client,
                id: try #require(try uploads.json(response)["id"] as? Int),
                token: token
            )
            let apps = try #require((done["report"] as? [String: Any])?["apps"] as? [[String: Any]])
            let wiki = try #require(apps.first { $0["id"] as? String == "intra-wiki" })
            #expect((wiki["traffic"] as? [String: Any])?["transactions"] as? Int == 2)
            #expect(wiki["users"] as? Int == 2 && wiki["name"] as? String == "Intra wiki")
        }
    }
}
