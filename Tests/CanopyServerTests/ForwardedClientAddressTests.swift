import CanopyCore
import CanopyServer
import CanopyStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Behind a trusted reverse proxy the client is the right-most untrusted `X-Forwarded-For` hop; from anyone else the
/// header changes nothing. Checked over a real socket (the peer is 127.0.0.1) through admin access ranges and the
/// audit log's source address.
@Suite struct ForwardedClientAddressTests {
    @Test func onlyATrustedProxyNamesTheClient() {
        let trusted = [IPRange("127.0.0.0/8")!, IPRange("10.0.0.0/8")!]
        func client(_ peer: String?, _ header: [String]) -> String? {
            ForwardedClientAddress.client(peer: peer, header: header, trusted: trusted)
        }
        #expect(client("127.0.0.1", ["203.0.113.9"]) == "203.0.113.9")
        #expect(client("127.0.0.1", ["198.51.100.1, 203.0.113.9, 10.1.1.1"]) == "203.0.113.9")
        #expect(client("127.0.0.1", ["198.51.100.1", "203.0.113.9"]) == "203.0.113.9")
        #expect(client("192.0.2.5", ["203.0.113.9"]) == nil)  // not a trusted proxy: the header is ignored
        #expect(client("127.0.0.1", ["203.0.113.9, not-an-address"]) == nil)
        #expect(client("127.0.0.1", ["10.0.0.1"]) == nil)
        #expect(client("127.0.0.1", []) == nil)
        #expect(client(nil, ["203.0.113.9"]) == nil)
    }

    @Test func theForwardedAddressMeetsAdminRangesAndTheAuditLog() async throws {
        for trusting in [true, false] {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-xff-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            let server = try await CanopyServer.prepare(
                .init(
                    dataDirectory: dir.path,
                    port: 0,
                    trustedProxies: trusting ? [try #require(IPRange("127.0.0.0/8"))] : []
                )
            )
            try await server.store.setSetting("access.admin_ranges", to: "203.0.113.0/24")
            let app = Application(
                router: server.router(),
                configuration: .init(address: .hostname("127.0.0.1", port: 0))
            )
            try await app.test(.live) { client in
                let forwarded = try await client.execute(
                    uri: "/login",
                    method: .get,
                    headers: [.xForwardedFor: "203.0.113.9"]
                )
                #expect(forwarded.status == (trusting ? .ok : .forbidden), "trusting \(trusting)")
                #expect(try await client.execute(uri: "/login", method: .get).status == .forbidden)
                if trusting {
                    let signIn = try await client.execute(
                        uri: "/login",
                        method: .post,
                        headers: [
                            .xForwardedFor: "198.51.100.7, 203.0.113.9",
                            .contentType: "application/x-www-form-urlencoded",
                            .cookie: "canopy_login=t",
                        ],
                        body: ByteBuffer(string: "_csrf=t&name=nobody&password=wrong")
                    )
                    #expect(signIn.status == .unauthorized)
                    let audit = try #require(try await server.store.auditEntries(before: nil, limit: 1).first?.entry)
                    #expect(audit.action == "admin.login.failed" && audit.sourceIP == "203.0.113.9")
                }
            }
        }
    }
}
