import CanopyCore
import CanopyServer
import CanopyStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The REST API: bearer tokens, roles, the error body, cursor pagination, CSV export, and an OpenAPI document that
/// lists exactly the routes the server has.
@Suite struct APITests {
    static let now: Int64 = 1_780_000_000_000
    static var today: Int32 { Int32(now / 86_400_000) }

    /// A prepared server with some discovery data and audit entries, and a token per role.
    func withServer(_ body: (CanopyServer, [Role: String]) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-api-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try await CanopyServer.prepare(
            .init(dataDirectory: dir.path, port: 0, catalog: try SnapshotUploadTests.catalog())
        )
        var tokens: [Role: String] = [:]
        for role in Role.allCases {
            let secret = APITokens.generate()
            try await server.store.createToken(
                APIToken(
                    name: role.rawValue,
                    tokenHash: APITokens.hash(secret),
                    role: role.rawValue,
                    createdBy: "test",
                    createdAt: Self.now,
                    expiresAt: Self.now + 86_400_000
                )
            )
            tokens[role] = secret
        }
        let apps = ["dropbox", "slack", "box", "github", "zoom"]
        try await server.store.addDiscovery(
            apps.enumerated().map { i, app in
                DiscoveryRow(
                    day: Self.today - Int32(i),
                    app: app,
                    user: "=cmd|' /C calc'!A0",
                    sourceIP: "10.0.0.\(i)",
                    bytesUp: 1,
                    bytesDown: Int64(1_000 * (5 - i)),
                    bytesTotal: Int64(1_000 * (5 - i) + 1),
                    transactions: 1,
                    blocked: 0,
                    firstSeen: Self.now,
                    lastSeen: Self.now
                )
            }
        )
        for i in 0..<7 {
            try await server.store.appendAudit(
                AuditEntry(
                    time: Self.now + Int64(i),
                    actor: "a",
                    action: "x",
                    target: "t\(i)",
                    detail: "d",
                    sourceIP: nil
                )
            )
        }
        try await body(server, tokens)
    }

    func get(_ client: some TestClientProtocol, _ uri: String, token: String?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
    }

    @Test func withoutAValidTokenTheAPIAnswers401WithTheErrorBody() async throws {
        try await withServer { server, tokens in
            let app = Application(router: server.router(clock: { Self.now }))
            try await app.test(.router) { client in
                let expiredSecret = APITokens.generate()
                try await server.store.createToken(
                    APIToken(
                        name: "old",
                        tokenHash: APITokens.hash(expiredSecret),
                        role: "global-admin",
                        createdBy: "test",
                        createdAt: 0,
                        expiresAt: Self.now - 1
                    )
                )
                let revokedSecret = APITokens.generate()
                let revokedID = try await server.store.createToken(
                    APIToken(
                        name: "gone",
                        tokenHash: APITokens.hash(revokedSecret),
                        role: "global-admin",
                        createdBy: "test",
                        createdAt: 0,
                        expiresAt: Self.now + 1_000_000
                    )
                )
                try await server.store.revokeToken(id: revokedID)
                let valid = tokens[.globalAdmin]!
                // Swap the last character for a different one (appending a fixed "a" equalled the real token 1 in 32).
                let validButMangled = String(valid.dropLast()) + (valid.hasSuffix("a") ? "b" : "a")
                for token in [nil, "nonsense", APITokens.generate(), expiredSecret, revokedSecret, validButMangled] {
                    let response = try await get(client, "/api/v1/discovery/apps", token: token)
                    #expect(response.status == .unauthorized, "\(token ?? "no token")")
                    #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="canopy""#)
                    let error = try #require(try json(response)["error"] as? [String: Any])
                    #expect(error["code"] as? String == "unauthorized")
                }
            }
        }
    }

    @Test func everyRoleReadsDiscoveryAndTheAuditLog() async throws {
        try await withServer { server, tokens in
            let app = Application(router: server.router(clock: { Self.now }))
            try await app.test(.router) { client in
                for role in Role.allCases {
                    for path in ["/api/v1/discovery/apps", "/api/v1/audit"] {
                        let response = try await get(client, path, token: tokens[role])
                        // An app admin has no audit log, and sees only its apps (a token has none).
                        let expected: HTTPResponse.Status =
                            role == .appAdmin && path == "/api/v1/audit" ? .forbidden : .ok
                        #expect(response.status == expected, "\(role) \(path)")
                    }
                }
                let scoped = try json(try await get(client, "/api/v1/discovery/apps", token: tokens[.appAdmin]))
                #expect((scoped["items"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test func listsPageWithCursorsWithoutGapsOrRepeats() async throws {
        try await withServer { server, tokens in
            let app = Application(router: server.router(clock: { Self.now }))
            try await app.test(.router) { client in
                var apps: [String] = []
                var cursor: String?
                repeat {
                    let uri = "/api/v1/discovery/apps?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let page = try json(try await get(client, uri, token: tokens[.securityReader]))
                    apps += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["app"] as? String }
                    cursor = page["nextCursor"] as? String
                } while cursor != nil
                #expect(apps == ["dropbox", "slack", "box", "github", "zoom"])

                // A day range keeps the days asked for.
                let range = "/api/v1/discovery/apps?from=\(Self.date(Self.today - 1))&to=\(Self.date(Self.today))"
                let ranged = try json(try await get(client, range, token: tokens[.securityReader]))
                #expect(
                    (ranged["items"] as? [[String: Any]])?.compactMap { $0["app"] as? String } == ["dropbox", "slack"]
                )

                var ids: [Int] = []
                cursor = nil
                repeat {
                    let uri = "/api/v1/audit?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let page = try json(try await get(client, uri, token: tokens[.securityReader]))
                    ids += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
                    cursor = page["nextCursor"] as? String
                } while cursor != nil
                #expect(ids.count == 7 && ids == ids.sorted(by: >))

                for bad in ["limit=0", "limit=5000", "cursor=%%%", "format=xml", "from=2026-13-01", "from=2026-02-30"] {
                    let response = try await get(
                        client,
                        "/api/v1/discovery/apps?\(bad)",
                        token: tokens[.securityReader]
                    )
                    #expect(response.status == .badRequest, "\(bad)")
                    #expect((try json(response)["error"] as? [String: Any])?["code"] as? String == "bad-request")
                }
            }
        }
    }

    @Test func csvExportsTheSamePageAndNeutralizesFormulas() async throws {
        try await withServer { server, tokens in
            let app = Application(router: server.router(clock: { Self.now }))
            try await app.test(.router) { client in
                let response = try await get(
                    client,
                    "/api/v1/discovery/apps?format=csv&limit=2",
                    token: tokens[.securityReader]
                )
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(response.headers[HTTPField.Name("Canopy-Next-Cursor")!] != nil)
                let lines = String(buffer: response.body).split(separator: "\r\n")
                #expect(lines.first?.hasPrefix("app,bytesUp,bytesDown") == true)
                #expect(lines.count == 3 && lines[1].hasPrefix("dropbox,"))
            }
        }
    }

    /// Every API route the server has is in the OpenAPI document, with its method, and the document names no other.
    @Test func theOpenAPIDocumentListsExactlyTheRoutes() async throws {
        try await withServer { server, _ in
            let router = server.router(clock: { Self.now })
            // The router describes parameters as OpenAPI does: `{app}`.
            // The portal's pages (HTML, docs/portal.md) are not API routes; everything under /api is.
            let routes = Set(
                router.routes.filter {
                    let path = "\($0.path)"
                    return path.hasPrefix("/api/") || path == "/healthz" || path == "/metrics"
                }
                .map { "\($0.method.rawValue.uppercased()) \($0.path)" }
            )
            let app = Application(router: router)
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/api/openapi.json", method: .get)
                #expect(response.status == .ok)
                let document = try json(response)
                #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                var documented: Set<String> = []
                for (path, operations) in paths {
                    for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
                }
                #expect(documented == routes)
            }
        }
    }

    static func date(_ day: Int32) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(day) * 86_400))
    }

    func send(
        _ client: some TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String?,
        json body: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        guard let body else { return try await client.execute(uri: uri, method: method, headers: headers) }
        headers[.contentType] = "application/json"
        return try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: body))
    }

    @Test func sanctioningTagsAppsExclusivelyAndAuditsWhoDidIt() async throws {
        try await withServer { server, tokens in
            let app = Application(router: server.router(clock: { Self.now }))
            try await app.test(.router) { client in
                let admin = tokens[.securityAdmin]
                #expect(
                    try await send(client, .put, "/api/v1/apps/dropbox/tags/unsanctioned", token: admin).status == .ok
                )
                let sanction = try await send(client, .put, "/api/v1/apps/dropbox/tags/sanctioned", token: admin)
                #expect(try json(sanction)["changed"] as? Bool == true)
                let again = try await send(client, .put, "/api/v1/apps/dropbox/tags/sanctioned", token: admin)
                #expect(try json(again)["changed"] as? Bool == false)
                #expect(
                    try await send(client, .put, "/api/v1/apps/dropbox/tags/finance-ok", token: admin).status == .ok
                )
                #expect(try await server.store.appTags()["dropbox"] == ["sanctioned", "finance-ok"])
                #expect(
                    try await send(client, .delete, "/api/v1/apps/dropbox/tags/finance-ok", token: admin).status == .ok
                )
                #expect(try await server.store.appTags()["dropbox"] == ["sanctioned"])
                let listed = try json(try await get(client, "/api/v1/apps/tags", token: tokens[.securityReader]))
                let items = try #require(listed["items"] as? [[String: Any]])
                #expect(items.count == 1 && items[0]["app"] as? String == "dropbox")

                let audit = try await server.store.auditEntries(before: nil, limit: 10).map(\.entry)
                #expect(audit.filter { $0.action == "app.tag" }.count == 3)  // The repeated sanction changed nothing.
                #expect(audit.contains { $0.action == "app.untag" && $0.target == "dropbox" })
                #expect(audit.filter { $0.action.hasPrefix("app.") }.allSatisfy { $0.actor == "security-admin" })
                #expect(audit.contains { $0.detail == "sanctioned (was unsanctioned)" })

                for bad in ["/api/v1/apps/Drop%20Box/tags/sanctioned", "/api/v1/apps/dropbox/tags/%3Cscript%3E"] {
                    #expect(try await send(client, .put, bad, token: admin).status == .badRequest, "\(bad)")
                }
            }
        }
    }

    @Test func dataSourcesAreCreatedListedWithTheirHealthRefusedWhenInvalidAndAudited() async throws {
        try await withServer { server, tokens in
            let app = Application(router: server.router(clock: { Self.now }))
            try await app.test(.router) { client in
                let admin = tokens[.securityAdmin]
                let body = #"{"name":"hq-squid","format":"squid.native","transport":"tcp","port":5514}"#
                let created = try await send(client, .post, "/api/v1/datasources", token: admin, json: body)
                #expect(created.status == .created)
                #expect(try json(created)["status"] as? String == "waiting")
                for bad in [
                    #"{"name":"other","format":"squid.native","transport":"tls","port":5514}"#,  // port taken (TCP)
                    #"{"name":"hq-squid","format":"squid.native","transport":"udp","port":5515}"#,  // name taken
                    #"{"name":"x","format":"no.such-format","transport":"udp","port":5516}"#,
                    #"{"name":"x","format":"squid.native","transport":"folder","path":"relative/dir"}"#,
                    #"{"name":"<script>","format":"squid.native","transport":"udp","port":5517}"#,
                    "not json",
                ] {
                    let response = try await send(client, .post, "/api/v1/datasources", token: admin, json: bad)
                    #expect(response.status == .badRequest, "\(bad)")
                }
                let udp = #"{"name":"hq-udp","format":"squid.native","transport":"udp","port":5514}"#
                #expect(
                    try await send(client, .post, "/api/v1/datasources", token: admin, json: udp).status == .created
                )
                let list = try json(try await get(client, "/api/v1/datasources", token: tokens[.securityReader]))
                let items = try #require(list["items"] as? [[String: Any]])
                #expect(items.map { $0["name"] as? String } == ["hq-squid", "hq-udp"])
                let intake = try #require(items.first?["intake"] as? [String: Any])
                #expect(intake["lines"] as? Int == 0)
                let csv = try await get(client, "/api/v1/datasources?format=csv", token: admin)
                #expect(String(buffer: csv.body).hasPrefix("id,name,format,transport,port,path,status"))
                let id = try #require(items.first?["id"] as? Int)
                #expect(try await send(client, .delete, "/api/v1/datasources/\(id)", token: admin).status == .ok)
                #expect(try await send(client, .delete, "/api/v1/datasources/\(id)", token: admin).status == .notFound)
                let audit = try await server.store.auditEntries(before: nil, limit: 10).map(\.entry.action)
                #expect(audit.prefix(3) == ["datasource.delete", "datasource.create", "datasource.create"])
            }
        }
    }

    /// Every API route × every role: a role without the route's permission gets 403, one with it does not; no token
    /// gets 401. The permission table must name every API route.
    @Test func everyRouteAnswersEveryRoleAsItsPermissionSays() async throws {
        try await withServer { server, tokens in
            let router = server.router(clock: { Self.now })
            let apiRoutes = router.routes.filter { "\($0.path)".hasPrefix("/api/v1/") }
                .map { (method: $0.method, path: "\($0.path)") }
            #expect(
                Set(apiRoutes.map { "\($0.method.rawValue.uppercased()) \($0.path)" })
                    == Set(APIRoutes.permissions.keys)
            )
            let app = Application(router: router)
            try await app.test(.router) { client in
                var made = 0
                for route in apiRoutes {
                    let key = "\(route.method.rawValue.uppercased()) \(route.path)"
                    let permission = try #require(APIRoutes.permissions[key])
                    let path = route.path.replacingOccurrences(of: "{app}", with: "box")
                        .replacingOccurrences(of: "{tag}", with: "sanctioned")
                    #expect(try await send(client, route.method, path, token: nil).status == .unauthorized, "\(key)")
                    for role in Role.allCases {
                        // Routes that create or delete something get a fresh, valid request each time.
                        made += 1
                        var uri = path
                        var body: String?
                        var success = HTTPResponse.Status.ok
                        if key == "POST /api/v1/datasources" {
                            body =
                                #"{"name":"s\#(made)","format":"squid.native","transport":"tcp","port":\#(20_000 + made)}"#
                            success = .created
                        } else if key == "POST /api/v1/tokens" {
                            body = #"{"name":"t\#(made)","role":"security-reader","days":7}"#
                            success = .created
                        } else if key == "DELETE /api/v1/tokens/{id}" {
                            let id = try await server.store.createToken(
                                APIToken(
                                    name: "r\(made)",
                                    tokenHash: APITokens.hash(APITokens.generate()),
                                    role: "security-reader",
                                    createdBy: "test",
                                    createdAt: Self.now,
                                    expiresAt: Self.now + 86_400_000
                                )
                            )
                            uri = path.replacingOccurrences(of: "{id}", with: "\(id)")
                            success = .noContent
                        } else if route.path == "/api/v1/privacy/user" {
                            uri = path + "?name=someone"
                        } else if key == "PUT /api/v1/settings/admin-access" {
                            body = #"{"ranges":[]}"#
                        } else if key == "PUT /api/v1/discovery/scoring" {
                            body = #"{"unknownValues":"penalize","groupWeights":{"legal":"low"}}"#
                        } else if key == "POST /api/v1/discovery/snapshots" {
                            body = "1780000000.000 5 10.0.0.1 TCP_MISS/200 100 GET http://box.com/ - DIRECT/1.2.3.4 -"
                            success = .accepted
                        } else if route.path.hasPrefix("/api/v1/discovery/snapshots/{id}") {
                            let id = try await server.store.createSnapshot(
                                SnapshotSummary(name: "s\(made)", createdAt: Self.now, createdBy: "test")
                            )
                            _ = try await server.store.finishSnapshot(
                                id: id,
                                SnapshotCompletion(
                                    status: .failed,
                                    format: nil,
                                    files: 1,
                                    inputBytes: 1,
                                    error: "test",
                                    finishedAt: Self.now,
                                    digest: nil,
                                    report: nil
                                )
                            )
                            uri = path.replacingOccurrences(of: "{id}", with: "\(id)")
                            if route.method == .delete { success = .noContent }
                        } else if key == "POST /api/v1/admins" {
                            body = #"{"name":"admin\#(made)","role":"security-reader"}"#
                            success = .created
                        } else if route.path == "/api/v1/admins/{name}" {
                            _ = try await server.store.createAdmin(
                                AdminAccount(
                                    name: "a\(made)",
                                    passwordHash: "x",
                                    role: "security-reader",
                                    mustChangePassword: false,
                                    createdAt: Self.now
                                )
                            )
                            uri = path.replacingOccurrences(of: "{name}", with: "a\(made)")
                            if route.method == .delete {
                                success = .noContent
                            } else {
                                body = #"{"role":"security-operator"}"#
                            }
                        } else if key == "POST /api/v1/ip-ranges" {
                            body = #"{"name":"r\#(made)","category":"vpn","blocks":["10.\#(made % 250).0.0/16"]}"#
                            success = .created
                        } else if route.path == "/api/v1/ip-ranges/{id}" {
                            let written = try await server.store.createIPRange(
                                IPRangeRecord(
                                    name: "range \(made)",
                                    category: "corporate",
                                    blocks: ["192.0.2.0/24"],
                                    tags: [],
                                    createdBy: "test",
                                    createdAt: Self.now
                                )
                            )
                            guard case .written(let id) = written else { throw CancellationError() }
                            uri = path.replacingOccurrences(of: "{id}", with: "\(id)")
                            if route.method == .delete {
                                success = .noContent
                            } else {
                                body = #"{"name":"renamed \#(made)","category":"risky","blocks":["198.51.100.7"]}"#
                            }
                        } else if route.path == "/api/v1/tags/{tag}" {
                            _ = try await server.store.addTag("t\(made)", to: "dropbox")
                            uri = route.path.replacingOccurrences(of: "{tag}", with: "t\(made)")
                        } else if key == "PUT /api/v1/settings/anonymization" {
                            body = #"{"enabled":false}"#
                        } else if key == "POST /api/v1/privacy/deanonymize" {
                            // No key yet: a permitted role learns the token is not this tenant's.
                            body = #"{"token":"anon-abc","justification":"route test for every role"}"#
                            success = .notFound
                        } else if key == "POST /api/v1/discovery/custom-apps" {
                            body =
                                #"{"id":"c\#(made)","name":"C","category":"productivity","domains":["c\#(made).example"]}"#
                            success = .created
                        } else if route.path == "/api/v1/discovery/custom-apps/{id}" {
                            _ = try await server.store.createCustomApp(
                                CustomAppRecord(
                                    id: "app\(made)",
                                    name: "App",
                                    category: "productivity",
                                    domains: ["app\(made).example"],
                                    createdBy: "test",
                                    createdAt: Self.now
                                )
                            )
                            uri = path.replacingOccurrences(of: "{id}", with: "app\(made)")
                            if route.method == .delete {
                                success = .noContent
                            } else if route.method == .put {
                                body = #"{"name":"Renamed","category":"productivity","ipRanges":["192.0.2.0/24"]}"#
                            }
                        } else if route.path.contains("{id}") {
                            let id = try #require(
                                try await server.store.createDataSource(
                                    DataSource(
                                        name: "d\(made)",
                                        format: "squid.native",
                                        transport: .udp,
                                        port: 30_000 + made,
                                        createdBy: "test",
                                        createdAt: Self.now
                                    )
                                )
                            )
                            uri = path.replacingOccurrences(of: "{id}", with: "\(id)")
                        }
                        let status = try await send(client, route.method, uri, token: tokens[role], json: body).status
                        if role.allows(permission), role == .appAdmin, route.path.hasPrefix("/api/v1/apps/{app}") {
                            // Allowed for its own apps only: "box" is not one (a token has no apps).
                            #expect(status == .forbidden, "\(key) as \(role.rawValue)")
                        } else if role.allows(permission) {
                            #expect(status == success, "\(key) as \(role.rawValue)")
                        } else {
                            #expect(status == .forbidden, "\(key) as \(role.rawValue)")
                        }
                    }
                }
            }
        }
    }

    @Test func usersIPsTheBlockListAndTheCatalogAnswerFromTheStoreAndTheCatalog() async throws {
        try await withServer { server, tokens in
            let app = Application(router: server.router(clock: { Self.now }))
            try await app.test(.router) { client in
                let reader = tokens[.securityReader]
                let users = try json(try await get(client, "/api/v1/discovery/users", token: reader))
                let userItems = try #require(users["items"] as? [[String: Any]])
                #expect(userItems.count == 1)
                #expect(userItems.first?["apps"] as? Int == 5)
                #expect(userItems.first?["user"] as? String == "=cmd|' /C calc'!A0")
                let usersCSV = String(
                    buffer: try await get(client, "/api/v1/discovery/users?format=csv", token: reader).body
                )
                #expect(usersCSV.contains("'=cmd|' /C calc'!A0"))
                let ips = try json(try await get(client, "/api/v1/discovery/ips?app=slack&limit=10", token: reader))
                #expect((ips["items"] as? [[String: Any]])?.compactMap { $0["ip"] as? String } == ["10.0.0.1"])
                #expect(try await get(client, "/api/v1/discovery/ips?app=../x", token: reader).status == .badRequest)

                let admin = tokens[.securityAdmin]
                #expect(
                    try await send(client, .put, "/api/v1/apps/dropbox/tags/unsanctioned", token: admin).status == .ok
                )
                let list = try await get(client, "/api/v1/discovery/blocklist?format=squid", token: reader)
                #expect(list.headers[.contentDisposition]?.contains("canopy-blocklist-squid.txt") == true)
                #expect(String(buffer: list.body).contains("dropbox.com"))
                #expect(
                    try await get(client, "/api/v1/discovery/blocklist?format=nope", token: reader).status
                        == .badRequest
                )

                let search = try json(try await get(client, "/api/v1/catalog/apps?q=dropbox&limit=5", token: reader))
                let found = try #require(search["items"] as? [[String: Any]])
                #expect(found.first?["id"] as? String == "dropbox")
                #expect(found.first?["score"] is Double)
                let detail = try json(try await get(client, "/api/v1/catalog/apps/dropbox", token: reader))
                #expect(detail["tags"] as? [String] == ["unsanctioned"])
                let risk = try #require(detail["risk"] as? [String: Any])
                #expect(risk["score"] is Double)
                #expect((risk["groups"] as? [[String: Any]])?.isEmpty == false)
                #expect(try await get(client, "/api/v1/catalog/apps/no-such-app", token: reader).status == .notFound)
            }
        }
    }

    @Test func scoreWeightsAndOverridesAreReadChangedValidatedAndAudited() async throws {
        try await withServer { server, tokens in
            let app = Application(router: server.router(clock: { Self.now }))
            try await app.test(.router) { client in
                let admin = tokens[.securityAdmin]
                let initial = try json(
                    try await get(client, "/api/v1/discovery/scoring", token: tokens[.securityReader])
                )
                #expect(initial["unknownValues"] as? String == "ignore")
                let before = try json(try await get(client, "/api/v1/catalog/apps/dropbox", token: admin))
                let scoreBefore = try #require((before["risk"] as? [String: Any])?["score"] as? Double)
                let tuning =
                    #"{"unknownValues":"ignore","groupWeights":{"security":"very-high"},"overrides":{"dropbox":{"score":2,"note":"blocked at the proxy; shadow copies only"}}}"#
                let put = try await send(client, .put, "/api/v1/discovery/scoring", token: admin, json: tuning)
                #expect(put.status == .ok, "\(String(buffer: put.body))")
                let after = try json(try await get(client, "/api/v1/catalog/apps/dropbox", token: admin))
                let scoreAfter = try #require((after["risk"] as? [String: Any])?["score"] as? Double)
                #expect(scoreAfter == 2)
                #expect(scoreAfter != scoreBefore)
                let audit = try await server.store.auditEntries(before: nil, limit: 1).map(\.entry)
                #expect(audit.first?.action == "settings.scoring")
                #expect(audit.first?.detail.contains("dropbox → 2.0") == true)
                for bad in [
                    #"{"overrides":{"no-such-app":{"score":2,"note":"x"}}}"#,
                    #"{"overrides":{"dropbox":{"score":11,"note":"x"}}}"#,
                    #"{"overrides":{"dropbox":{"score":3,"note":"  "}}}"#,
                    #"{"attributeWeights":{"no-such-attribute":"high"}}"#,
                    #"{"groupWeights":{"astrology":"high"}}"#,
                    "not json",
                ] {
                    let response = try await send(client, .put, "/api/v1/discovery/scoring", token: admin, json: bad)
                    #expect(response.status == .badRequest, "\(bad)")
                }
                let unchanged = try json(try await get(client, "/api/v1/discovery/scoring", token: admin))
                #expect((unchanged["overrides"] as? [String: Any])?["dropbox"] != nil)
            }
        }
    }

    @Test func tokensAreCreatedListedWithoutHashesAndRevokedAndAdminsListedWithoutPasswords() async throws {
        try await withServer { server, tokens in
            let app = Application(router: server.router(clock: { Self.now }))
            try await app.test(.router) { client in
                let global = tokens[.globalAdmin]
                let created = try await send(
                    client,
                    .post,
                    "/api/v1/tokens",
                    token: global,
                    json: #"{"name":"siem","role":"security-reader","days":30}"#
                )
                #expect(created.status == .created)
                let body = try json(created)
                let secret = try #require(body["secret"] as? String)
                let id = try #require((body["token"] as? [String: Any])?["id"] as? Int)
                // The new token works, with its role.
                #expect(try await get(client, "/api/v1/discovery/apps", token: secret).status == .ok)
                #expect(try await get(client, "/api/v1/tokens", token: secret).status == .forbidden)
                let list = String(buffer: try await get(client, "/api/v1/tokens", token: global).body)
                #expect(list.contains("\"siem\""))
                #expect(!list.contains(APITokens.hash(secret)))
                #expect(!list.contains(secret))
                #expect(try await send(client, .delete, "/api/v1/tokens/\(id)", token: global).status == .noContent)
                #expect(try await get(client, "/api/v1/discovery/apps", token: secret).status == .unauthorized)
                #expect(try await send(client, .delete, "/api/v1/tokens/999999", token: global).status == .notFound)
                for bad in [
                    #"{"name":"","role":"security-reader"}"#, #"{"name":"x","role":"root"}"#,
                    #"{"name":"x","role":"security-reader","days":0}"#, "nope",
                ] {
                    #expect(
                        try await send(client, .post, "/api/v1/tokens", token: global, json: bad).status == .badRequest
                    )
                }
                let audit = try await server.store.auditEntries(before: nil, limit: 2).map(\.entry.action)
                #expect(audit == ["token.revoke", "token.create"])
                let admins = String(buffer: try await get(client, "/api/v1/admins", token: global).body)
                #expect(admins.contains("\"admin\""))
                #expect(!admins.contains("$2"))  // no bcrypt hash
            }
        }
    }

    /// Over a real socket (the client is 127.0.0.1): ranges that leave out the requester are refused, ranges that
    /// include it are stored and audited; once the stored ranges leave the client out, the API and the portal answer
    /// 403 while `/healthz` stays open.
    @Test func adminAccessIsLimitedToTheConfiguredRangesWithoutLockingOutTheAdminMakingTheChange() async throws {
        try await withServer { server, tokens in
            let app = Application(
                router: server.router(clock: { Self.now }),
                configuration: .init(address: .hostname("127.0.0.1", port: 0))
            )
            try await app.test(.live) { client in
                let global = tokens[.globalAdmin]
                let path = "/api/v1/settings/admin-access"
                let lockout = try await send(client, .put, path, token: global, json: #"{"ranges":["10.0.0.0/8"]}"#)
                #expect(lockout.status == .conflict)
                #expect(
                    try await send(client, .put, path, token: global, json: #"{"ranges":["nope"]}"#).status
                        == .badRequest
                )
                let ok = try await send(
                    client,
                    .put,
                    path,
                    token: global,
                    json: #"{"ranges":["10.0.0.0/8","127.0.0.0/8"]}"#
                )
                #expect(ok.status == .ok)
                #expect(
                    try json(try await get(client, path, token: global))["ranges"] as? [String] == [
                        "10.0.0.0/8", "127.0.0.0/8",
                    ]
                )
                #expect(try await get(client, "/api/v1/discovery/apps", token: global).status == .ok)
                let audit = try await server.store.auditEntries(before: nil, limit: 1).map(\.entry)
                #expect(audit.first?.action == "settings.admin_access")
                // An admin elsewhere narrowed the ranges: this client is now outside.
                try await server.store.setSetting("access.admin_ranges", to: "10.0.0.0/8")
                #expect(try await get(client, "/api/v1/discovery/apps", token: global).status == .forbidden)
                #expect(try await client.execute(uri: "/login", method: .get).status == .forbidden)
                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
                try await server.store.setSetting("access.admin_ranges", to: nil)
                #expect(try await get(client, "/api/v1/discovery/apps", token: global).status == .ok)
            }
        }
    }

    /// A privacy request: export shows the user's aggregates, report lines and activities, erase removes them and nobody
    /// else's, both audited; a compliance admin may, a security admin may not.
    @Test func aUsersDataIsExportedAndErasedOnRequest() async throws {
        try await withServer { server, tokens in
            let app = Application(router: server.router(clock: { Self.now }))
            try await app.test(.router) { client in
                let user = "=cmd|' /C calc'!A0"
                let query = "name=" + (user.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                let uri = "/api/v1/privacy/user?" + query
                func activity(_ id: String, by actor: String) -> Activity {
                    Activity(
                        sourceEventID: id,
                        time: Self.now,
                        source: .connector,
                        app: "okta",
                        actor: Activity.Actor(name: actor),
                        ip: "192.0.2.9",
                        type: .login,
                        rawEventName: "user.session.start",
                        result: .success
                    )
                }
                try await server.store.appendActivities([
                    activity("a1", by: user), activity("a2", by: "someone-else"), activity("a3", by: user),
                ])
                #expect(try await get(client, uri, token: tokens[.securityAdmin]).status == .forbidden)
                let export = try json(try await get(client, uri, token: tokens[.complianceAdmin]))
                let rows = try #require(export["discovery"] as? [[String: Any]])
                #expect(rows.count == 5)
                #expect(Set(rows.compactMap { $0["app"] as? String }) == ["dropbox", "slack", "box", "github", "zoom"])
                let activities = try #require(export["activities"] as? [[String: Any]])
                #expect(activities.compactMap { $0["sourceEventID"] as? String } == ["a3", "a1"])
                #expect(activities.first?["rawEventName"] as? String == "user.session.start")
                let erased = try json(try await send(client, .delete, uri, token: tokens[.globalAdmin]))
                #expect(erased["discoveryRows"] as? Int == 5)
                #expect(erased["activities"] as? Int == 2)
                #expect(try await server.store.discoveryRows(user: user).isEmpty)
                let left = try await server.store.activities(ActivityFilter(), before: nil, limit: 10)
                #expect(left.map(\.activity.sourceEventID) == ["a2"])
                let again = try json(try await get(client, uri, token: tokens[.globalAdmin]))
                #expect((again["discovery"] as? [Any])?.isEmpty == true)
                #expect((again["activities"] as? [Any])?.isEmpty == true)
                let audit = try await server.store.auditEntries(before: nil, limit: 3).map(\.entry.action)
                #expect(audit == ["privacy.export", "privacy.erase", "privacy.export"])
                #expect(
                    try await get(client, "/api/v1/privacy/user", token: tokens[.globalAdmin]).status == .badRequest
                )
            }
        }
    }

    @Test func everyResponseCarriesTheSecurityHeadersErrorsIncluded() async throws {
        try await withServer { server, tokens in
            let app = Application(router: server.router(clock: { Self.now }))
            try await app.test(.router) { client in
                for (uri, token) in [
                    ("/healthz", nil), ("/api/v1/audit", tokens[.securityReader]), ("/api/v1/audit", nil),
                    ("/no/such/route", nil),
                ] {
                    let response = try await get(client, uri, token: token)
                    let csp = try #require(response.headers[.contentSecurityPolicy], "\(uri)")
                    #expect(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "\(uri)")
                    #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                    #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(uri)")
                    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin", "\(uri)")
                }
            }
        }
    }

    @Test func aTokenOverItsRateGets429WithRetryAfterAndOthersDoNot() async throws {
        try await withServer { server, tokens in
            let limiter = RateLimiter(capacity: 3, perSecond: 0.5)
            let app = Application(router: server.router(clock: { Self.now }, limiter: limiter))
            try await app.test(.router) { client in
                for _ in 0..<3 {
                    #expect(try await get(client, "/api/v1/audit", token: tokens[.securityReader]).status == .ok)
                }
                let limited = try await get(client, "/api/v1/audit", token: tokens[.securityReader])
                #expect(limited.status == .tooManyRequests)
                #expect(limited.headers[.retryAfter] == "2")
                #expect((try json(limited)["error"] as? [String: Any])?["code"] as? String == "rate-limited")
                // Another token has its own bucket.
                #expect(try await get(client, "/api/v1/audit", token: tokens[.securityAdmin]).status == .ok)
            }
        }
    }

    @Test func theRateLimiterRefillsOverTime() {
        let limiter = RateLimiter(capacity: 2, perSecond: 1)
        #expect(limiter.take(1, now: 100) == nil && limiter.take(1, now: 100) == nil)
        #expect(limiter.take(1, now: 100) == 1)
        #expect(limiter.take(1, now: 101.5) == nil)
        #expect(limiter.take(2, now: 101.5) == nil)
    }

    @Test func metricsCountRequestsByRoutePatternAndStatus() async throws {
        try await withServer { server, tokens in
            let app = Application(router: server.router(clock: { Self.now }))
            try await app.test(.router) { client in
                _ = try await get(client, "/healthz", token: nil)
                _ = try await get(client, "/api/v1/audit", token: tokens[.securityReader])
                _ = try await get(client, "/api/v1/audit", token: nil)
                _ = try await send(client, .put, "/api/v1/apps/box/tags/sanctioned", token: tokens[.securityAdmin])
                let response = try await get(client, "/metrics", token: nil)
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains(#"canopy_http_requests_total{method="GET",route="/healthz",status="200"} 1"#))
                #expect(
                    text.contains(#"canopy_http_requests_total{method="GET",route="/api/v1/audit",status="401"} 1"#)
                )
                #expect(text.contains(#"route="/api/v1/apps/{app}/tags/{tag}",status="200"} 1"#), "\(text)")
                #expect(text.contains("canopy_http_request_duration_seconds_bucket"))
                #expect(!text.contains("/apps/box/"))  // Patterns, not raw paths.
            }
        }
    }

    @Test func deletingAllDiscoveryDataThroughTheAPIIsAudited() async throws {
        try await withServer { server, tokens in
            let app = Application(router: server.router(clock: { Self.now }))
            try await app.test(.router) { client in
                #expect(
                    try await send(client, .delete, "/api/v1/discovery", token: tokens[.securityReader]).status
                        == .forbidden
                )
                let response = try await send(client, .delete, "/api/v1/discovery", token: tokens[.globalAdmin])
                #expect(response.status == .ok && String(buffer: response.body) == #"{"deleted":5}"#)
                #expect(try await server.store.discoveryByApp(days: Int32.min...Int32.max).isEmpty)
                let entry = try #require(try await server.store.auditEntries(before: nil, limit: 1).first?.entry)
                #expect(entry.action == "discovery.delete-all" && entry.actor == "global-admin")
            }
        }
    }
}
