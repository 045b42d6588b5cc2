import CanopyServer
import CanopyStore
import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Testing

/// `canopy serve` from zero configuration: data directory, master key, database, first admin, health.
@Suite struct ServerStartupTests {
    func withTemporaryDirectory(_ body: (String) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await body(dir.path + "/data")
    }

    func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber).intValue
    }

    @Test func theFirstStartCreatesAPrivateDataDirectoryAKeyAndAnAdminWithAOneTimePassword() async throws {
        try await withTemporaryDirectory { path in
            let server = try await CanopyServer.prepare(.init(dataDirectory: path, port: 0))
            #expect(server.startup.createdMasterKey)
            #expect(try mode(path) == 0o700)
            #expect(try mode(path + "/master.key") == 0o600)
            #expect(try mode(path + "/canopy.sqlite") == 0o600)
            #expect(FileManager.default.contents(atPath: path + "/master.key")?.count == 32)
            let password = try #require(server.startup.firstAdminPassword)
            #expect(password.count == 20)
            let admin = try #require(try await server.store.admin(named: "admin"))
            #expect(admin.role == "global-admin" && admin.mustChangePassword)
            #expect(!admin.passwordHash.contains(password) && admin.passwordHash.hasPrefix("$2"))
            #expect(Bcrypt.verify(password, hash: admin.passwordHash))
            #expect(!Bcrypt.verify(password + "x", hash: admin.passwordHash))
        }
    }

    @Test func aSecondStartKeepsTheKeyAndPrintsNoPassword() async throws {
        try await withTemporaryDirectory { path in
            _ = try await CanopyServer.prepare(.init(dataDirectory: path, port: 0))
            let key = FileManager.default.contents(atPath: path + "/master.key")
            let again = try await CanopyServer.prepare(.init(dataDirectory: path, port: 0))
            #expect(!again.startup.createdMasterKey && again.startup.firstAdminPassword == nil)
            #expect(FileManager.default.contents(atPath: path + "/master.key") == key)
            #expect(try await again.store.adminCount() == 1)
        }
    }

    @Test func aDamagedMasterKeyIsRefusedNotReplaced() async throws {
        try await withTemporaryDirectory { path in
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try Data("short".utf8).write(to: URL(fileURLWithPath: path + "/master.key"))
            await #expect(throws: ServerError.self) { try await CanopyServer.prepare(.init(dataDirectory: path)) }
            #expect(FileManager.default.contents(atPath: path + "/master.key") == Data("short".utf8))
        }
    }

    @Test func generatedPasswordsDifferAndAvoidLookAlikes() {
        let passwords = (0..<200).map { _ in FirstAdmin.generatePassword() }
        #expect(Set(passwords).count == 200)
        #expect(passwords.allSatisfy { !$0.contains(where: { "0O1lI".contains($0) }) })
    }

    @Test func healthzAnswersWhenTheStoreDoes() async throws {
        try await withTemporaryDirectory { path in
            let server = try await CanopyServer.prepare(.init(dataDirectory: path, port: 0))
            let app = Application(router: server.router())
            try await app.test(.router) { client in
                try await client.execute(uri: "/healthz", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
                    #expect(response.headers[.contentType] == "application/json")
                }
            }
        }
    }
}
