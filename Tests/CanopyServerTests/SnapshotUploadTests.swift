import CanopyCore
import CanopyDiscovery
import CanopyServer
import CanopyStore
import CanopyTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Log uploads through `POST /api/v1/discovery/snapshots`: multipart and raw bodies, gzip, limits, malformed bodies
/// (fuzzed), the report built in the background, and the list, read and delete routes.
@Suite struct SnapshotUploadTests {
    static let samples = FixturePaths.repositoryRoot.appendingPathComponent("samples/discovery")

    /// The shipped catalog, so the sample logs match real apps.
    static func catalog() throws -> AppCatalog {
        let dir = FixturePaths.repositoryRoot.appendingPathComponent("Sources/canopy/Resources/catalog")
        func read(_ name: String) throws -> Data { try Data(contentsOf: dir.appendingPathComponent(name)) }
        return try AppCatalog.load(
            AppCatalog.Files(
                categories: try read("categories.json"),
                apps: try read("apps.jsonl"),
                attributes: try read("attributes.json"),
                risk: try read("risk.jsonl")
            )
        )
    }

    func withServer(
        limits: UploadLimits = UploadLimits(),
        _ body: @Sendable (CanopyServer, String, String, any TestClientProtocol) async throws -> Void
    ) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-upload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try await CanopyServer.prepare(
            .init(dataDirectory: dir.path, port: 0, catalog: try Self.catalog(), uploadLimits: limits)
        )
        let secret = APITokens.generate()
        try await server.store.createToken(
            APIToken(
                name: "uploader",
                tokenHash: APITokens.hash(secret),
                role: Role.securityAdmin.rawValue,
                createdBy: "test",
                createdAt: CanopyServer.now(),
                expiresAt: CanopyServer.now() + 86_400_000
            )
        )
        // The fuzz test sends hundreds of requests: a rate limit that does not get in its way.
        let app = Application(router: server.router(limiter: RateLimiter(capacity: 10_000, perSecond: 10_000)))
        try await app.test(.router) { client in try await body(server, secret, dir.path, client) }
        await server.snapshots.drain()
    }

    static func multipart(boundary: String, fields: [(String, String)], files: [(String, Data)]) -> Data {
        var body = Data()
        for (name, value) in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for (name, data) in files {
            body += Data(
                ("--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\(name)\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").utf8
            )
            body += data
            body += Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        return body
    }

    func post(
        _ client: some TestClientProtocol,
        _ uri: String = "/api/v1/discovery/snapshots",
        token: String,
        contentType: String,
        body: Data
    ) async throws -> TestResponse {
        try await client.execute(
            uri: uri,
            method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: contentType],
            body: ByteBuffer(bytes: body)
        )
    }

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
    }

    /// Polls the snapshot until it is no longer processing.
    func finished(_ client: some TestClientProtocol, id: Int, token: String) async throws -> [String: Any] {
        for _ in 0..<300 {
            let response = try await client.execute(
                uri: "/api/v1/discovery/snapshots/\(id)",
                method: .get,
                headers: [.authorization: "Bearer \(token)"]
            )
            let body = try json(response)
            if (body["snapshot"] as? [String: Any])?["status"] as? String != "processing" { return body }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("snapshot \(id) still processing")
        return [:]
    }

    func uploadsLeft(_ data: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: data + "/uploads")) ?? []
    }

    @Test func aMultipartUploadOfPlainAndGzipLogsBecomesAReport() async throws {
        try await withServer { server, token, data, client in
            let squid = try Data(contentsOf: Self.samples.appendingPathComponent("squid-access.log.gz"))
            let forti = try Data(contentsOf: Self.samples.appendingPathComponent("fortigate-traffic.log"))
            let boundary = "----canopy\(UUID().uuidString)"
            let body = Self.multipart(
                boundary: boundary,
                fields: [("name", "HQ proxy, week 48")],
                files: [("C:\\logs\\squid-access.log.gz", squid), ("fortigate-traffic.log", forti)]
            )
            let response = try await post(
                client,
                token: token,
                contentType: "multipart/form-data; boundary=\(boundary)",
                body: body
            )
            #expect(response.status == .accepted, "\(String(buffer: response.body))")
            #expect(response.headers[.location]?.hasPrefix("/api/v1/discovery/snapshots/") == true)
            let accepted = try json(response)
            #expect(accepted["name"] as? String == "HQ proxy, week 48")
            #expect(accepted["files"] as? Int == 2)
            #expect(accepted["inputBytes"] as? Int == squid.count + forti.count)
            let id = try #require(accepted["id"] as? Int)

            let done = try await finished(client, id: id, token: token)
            let snapshot = try #require(done["snapshot"] as? [String: Any])
            #expect(snapshot["status"] as? String == "ready", "\(snapshot)")
            let report = try #require(done["report"] as? [String: Any])
            let apps = try #require(report["apps"] as? [[String: Any]])
            #expect(!apps.isEmpty)
            // Sources are named as the sender named them — never by the server's paths.
            let sources = try #require(report["sources"] as? [[String: Any]])
            #expect(
                Set(sources.compactMap { $0["name"] as? String }) == ["squid-access.log.gz", "fortigate-traffic.log"]
            )
            #expect(
                !String(
                    buffer: try await client.execute(
                        uri: "/api/v1/discovery/snapshots/\(id)",
                        method: .get,
                        headers: [.authorization: "Bearer \(token)"]
                    ).body
                ).contains(data)
            )
            let digest = try #require(snapshot["digest"] as? [String: Any])
            let statistics = try #require(report["statistics"] as? [String: Any])
            #expect(digest["records"] as? Int == statistics["records"] as? Int)
            #expect((digest["records"] as? Int ?? 0) > 0)
            #expect(snapshot["format"] as? String == "fortinet.fortigate,squid.native")
            // The raw logs are gone once the report is stored.
            #expect(uploadsLeft(data).isEmpty)
            let audit = try await server.store.auditEntries(before: nil, limit: 5).map(\.entry)
            #expect(audit.first?.action == "snapshot.upload")
            #expect(audit.first?.target == "HQ proxy, week 48")
        }
    }

    @Test func aRawBodyWithAFormatIsOneFile() async throws {
        try await withServer { _, token, _, client in
            let zeek = try Data(contentsOf: Self.samples.appendingPathComponent("zeek-ssl.log"))
            let response = try await post(
                client,
                "/api/v1/discovery/snapshots?format=zeek.ssl_tsv&filename=ssl.log",
                token: token,
                contentType: "application/octet-stream",
                body: zeek
            )
            #expect(response.status == .accepted, "\(String(buffer: response.body))")
            let accepted = try json(response)
            #expect(accepted["name"] as? String == "ssl.log")
            #expect(accepted["format"] as? String == "zeek.ssl_tsv")
            let done = try await finished(client, id: try #require(accepted["id"] as? Int), token: token)
            let snapshot = try #require(done["snapshot"] as? [String: Any])
            #expect(snapshot["status"] as? String == "ready", "\(snapshot)")
        }
    }

    @Test func logsInNoKnownFormatMakeAFailedSnapshotWithTheReason() async throws {
        try await withServer { _, token, data, client in
            let noise = Data((0..<200).map { "line \($0): nothing a parser knows\n" }.joined().utf8)
            let response = try await post(client, token: token, contentType: "text/plain", body: noise)
            #expect(response.status == .accepted)
            let done = try await finished(client, id: try #require(try json(response)["id"] as? Int), token: token)
            let snapshot = try #require(done["snapshot"] as? [String: Any])
            #expect(snapshot["status"] as? String == "failed")
            #expect((snapshot["error"] as? String)?.contains("no traffic records") == true, "\(snapshot)")
            #expect(done["report"] is NSNull)
            #expect(uploadsLeft(data).isEmpty)
        }
    }

    @Test func limitsAndBadRequestsAreRefusedAndLeaveNothingBehind() async throws {
        try await withServer(limits: UploadLimits(files: 2, bytes: 4_096)) { server, token, data, client in
            let line = Data(
                "1700000000.000 5 10.0.0.1 TCP_MISS/200 100 GET http://a.example/ - DIRECT/1.2.3.4 -\n".utf8
            )
            let boundary = "b0undary"
            let type = "multipart/form-data; boundary=\(boundary)"
            let three = Self.multipart(boundary: boundary, fields: [], files: [("a", line), ("b", line), ("c", line)])
            #expect(try await post(client, token: token, contentType: type, body: three).status == .contentTooLarge)
            let big = Data(repeating: 0x41, count: 5_000)
            #expect(
                try await post(client, token: token, contentType: "text/plain", body: big).status == .contentTooLarge
            )
            let truncated = Self.multipart(boundary: boundary, fields: [], files: [("a", line)]).prefix(60)
            #expect(
                try await post(client, token: token, contentType: type, body: Data(truncated)).status == .badRequest
            )
            let noFiles = Self.multipart(boundary: boundary, fields: [("name", "x")], files: [])
            #expect(try await post(client, token: token, contentType: type, body: noFiles).status == .badRequest)
            #expect(try await post(client, token: token, contentType: "text/plain", body: Data()).status == .badRequest)
            let unknown = try await post(
                client,
                "/api/v1/discovery/snapshots?format=nope",
                token: token,
                contentType: "text/plain",
                body: line
            )
            #expect(unknown.status == .badRequest)
            #expect(try json(unknown)["error"] != nil)
            #expect(
                try await post(client, token: token, contentType: "multipart/form-data", body: line).status
                    == .badRequest
            )
            #expect(uploadsLeft(data).isEmpty)
            #expect(try await server.store.snapshots(before: nil, limit: 10).isEmpty)
        }
    }

    /// Mangled multipart bodies (cut, bytes flipped, boundaries and headers broken) answer 202, 400 or 413 — never
    /// a server error — and leave no file behind unless a snapshot took it.
    @Test func mangledMultipartBodiesNeverBreakTheServer() async throws {
        try await withServer(limits: UploadLimits(files: 3, bytes: 1 << 20)) { server, token, data, client in
            let line = "1700000000.000 5 10.0.0.1 TCP_MISS/200 100 GET http://a.example/ - DIRECT/1.2.3.4 -\n"
            let boundary = "XyZ"
            let valid = Self.multipart(
                boundary: boundary,
                fields: [("name", "fuzz"), ("format", "")],
                files: [("a.log", Data(line.utf8)), ("b.log", Data((line + line).utf8))]
            )
            var generator = SplitMix64(seed: 0xC0FFEE)
            var accepted = 0
            for round in 0..<300 {
                var body = [UInt8](valid)
                switch round % 4 {
                case 0: body = Array(body.prefix(Int.random(in: 0...body.count, using: &generator)))
                case 1:
                    for _ in 0..<Int.random(in: 1...8, using: &generator) {
                        body[Int.random(in: 0..<body.count, using: &generator)] = UInt8.random(
                            in: 0...255,
                            using: &generator
                        )
                    }
                case 2:
                    let at = Int.random(in: 0...body.count, using: &generator)
                    body.insert(contentsOf: Array("\r\n--\(boundary)\r\n".utf8), at: at)
                default:
                    let start = Int.random(in: 0..<body.count, using: &generator)
                    body.removeSubrange(start..<min(body.count, start + Int.random(in: 1...20, using: &generator)))
                }
                let response = try await post(
                    client,
                    token: token,
                    contentType: "multipart/form-data; boundary=\(boundary)",
                    body: Data(body)
                )
                #expect([.accepted, .badRequest, .contentTooLarge].contains(response.status), "round \(round)")
                if response.status == .accepted { accepted += 1 }
            }
            await server.snapshots.drain()
            #expect(uploadsLeft(data).isEmpty)
            #expect(try await server.store.snapshots(before: nil, limit: 1_000).count == accepted)
        }
    }

    @Test func snapshotsAreListedNewestFirstPagedAndDeletedWithAnAuditEntry() async throws {
        try await withServer { server, token, _, client in
            let line = Data("1700000000.000 5 10.0.0.1 TCP_MISS/200 100 GET http://box.com/ - DIRECT/1.2.3.4 -\n".utf8)
            var ids: [Int] = []
            for i in 0..<3 {
                let response = try await post(
                    client,
                    "/api/v1/discovery/snapshots?name=s\(i)",
                    token: token,
                    contentType: "text/plain",
                    body: line
                )
                ids.append(try #require(try json(response)["id"] as? Int))
            }
            await server.snapshots.drain()
            let auth: HTTPFields = [.authorization: "Bearer \(token)"]
            let first = try await client.execute(
                uri: "/api/v1/discovery/snapshots?limit=2",
                method: .get,
                headers: auth
            )
            let page = try json(first)
            #expect((page["items"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [ids[2], ids[1]])
            let cursor = try #require(page["nextCursor"] as? String)
            let second = try json(
                try await client.execute(
                    uri: "/api/v1/discovery/snapshots?limit=2&cursor=\(cursor)",
                    method: .get,
                    headers: auth
                )
            )
            #expect((second["items"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [ids[0]])
            #expect(second["nextCursor"] == nil)
            let csv = try await client.execute(
                uri: "/api/v1/discovery/snapshots?format=csv",
                method: .get,
                headers: auth
            )
            #expect(String(buffer: csv.body).hasPrefix("id,name,createdAt,createdBy,status"))
            let gone = try await client.execute(
                uri: "/api/v1/discovery/snapshots/\(ids[1])",
                method: .delete,
                headers: auth
            )
            #expect(gone.status == .noContent)
            let again = try await client.execute(
                uri: "/api/v1/discovery/snapshots/\(ids[1])",
                method: .get,
                headers: auth
            )
            #expect(again.status == .notFound)
            let audit = try await server.store.auditEntries(before: nil, limit: 1).map(\.entry)
            #expect(audit.first?.action == "snapshot.delete")
            #expect(audit.first?.target == "s1")
        }
    }

    /// A node that stopped mid-way: a complete upload is processed at the next start, an interrupted one is marked
    /// failed, a stray staging directory is removed.
    @Test func aRestartResumesCompleteUploadsAndFailsInterruptedOnes() async throws {
        try await withServer { server, _, data, _ in
            let store = server.store
            let complete = try await store.createSnapshot(
                SnapshotSummary(name: "complete", createdAt: CanopyServer.now(), createdBy: "test")
            )
            let interrupted = try await store.createSnapshot(
                SnapshotSummary(name: "interrupted", createdAt: CanopyServer.now(), createdBy: "test")
            )
            let fm = FileManager.default
            for id in [complete, interrupted] {
                try fm.createDirectory(atPath: data + "/uploads/\(id)", withIntermediateDirectories: true)
                try fm.copyItem(
                    atPath: Self.samples.appendingPathComponent("fortigate-traffic.log").path,
                    toPath: data + "/uploads/\(id)/00-fortigate-traffic.log"
                )
            }
            #expect(fm.createFile(atPath: data + "/uploads/\(complete)/.complete", contents: nil))
            try fm.createDirectory(atPath: data + "/uploads/staging-x", withIntermediateDirectories: true)
            await server.snapshots.resume()
            await server.snapshots.drain()
            let done = try #require(try await store.snapshot(id: complete))
            #expect(done.summary.status == .ready, "\(done.summary)")
            let report = try JSONDecoder().decode(DiscoveryReport.self, from: try #require(done.report))
            #expect(report.sources.map(\.name) == ["fortigate-traffic.log"])
            let failed = try #require(try await store.snapshot(id: interrupted)?.summary)
            #expect(failed.status == .failed)
            #expect(failed.error?.contains("before the upload was complete") == true)
            #expect(uploadsLeft(data).isEmpty)
        }
    }

    /// Erasing a user rewrites the snapshot reports that name them: their line goes, the totals stay.
    @Test func erasingAUserRemovesThemFromSnapshotReports() async throws {
        try await withServer { server, token, _, client in
            let secret = APITokens.generate()
            try await server.store.createToken(
                APIToken(
                    name: "dpo",
                    tokenHash: APITokens.hash(secret),
                    role: Role.complianceAdmin.rawValue,
                    createdBy: "test",
                    createdAt: CanopyServer.now(),
                    expiresAt: CanopyServer.now() + 86_400_000
                )
            )
            let lines = ["alice", "bob", "alice"].enumerated().map { i, user in
                "178000000\(i).000 5 10.0.0.\(i) TCP_MISS/200 100 GET https://www.dropbox.com/x \(user) HIER_DIRECT/1.2.3.4 -"
            }
            let response = try await post(
                client,
                "/api/v1/discovery/snapshots?format=squid.native",
                token: token,
                contentType: "text/plain",
                body: Data((lines.joined(separator: "\n") + "\n").utf8)
            )
            let id = try #require(try json(response)["id"] as? Int)
            let before = try await finished(client, id: id, token: token)
            let users = { (body: [String: Any]) in
                ((body["report"] as? [String: Any])?["users"] as? [[String: Any]])?.compactMap { $0["user"] as? String }
            }
            #expect(Set(users(before) ?? []) == ["alice", "bob"])
            let auth: HTTPFields = [.authorization: "Bearer \(secret)"]
            let export = try json(
                try await client.execute(uri: "/api/v1/privacy/user?name=alice", method: .get, headers: auth)
            )
            #expect((export["snapshots"] as? [[String: Any]])?.first?["snapshot"] as? Int == id)
            let erased = try json(
                try await client.execute(uri: "/api/v1/privacy/user?name=alice", method: .delete, headers: auth)
            )
            #expect(erased["snapshots"] as? Int == 1)
            let after = try await finished(client, id: id, token: token)
            #expect(users(after) == ["bob"])
            let totals = (after["report"] as? [String: Any])?["totals"] as? [String: Any]
            #expect(totals?["transactions"] as? Int == 3)
        }
    }
}
