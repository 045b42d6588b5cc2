import CanopyCollector
import CanopyDiscovery
import CanopyStore
import Foundation
import Synchronization
import Testing

extension CollectorServiceTests {
    /// With anonymization on, what a syslog source and a watched folder receive is stored under tokens, never under
    /// the names as logged; turned off, the next pass stores names again.
    @Test func whileAnonymizationIsOnSyslogAndFolderNamesAreStoredAsTokens() async throws {
        let fixture = try await Fixture()
        defer { fixture.cleanUp() }
        let anonymizer = try #require(Anonymizer(keyData: Anonymizer.generateKey()))
        let on = Mutex(true)
        let source: @Sendable () async throws -> (@Sendable (String) -> String)? = {
            guard on.withLock({ $0 }) else { return nil }
            return { anonymizer.token(for: $0) }
        }
        let service = fixture.service(pseudonymizer: source)
        let port = Self.freePort()
        let id = try await fixture.add("tcp", .tcp, port: port)
        let folder = fixture.dir.appendingPathComponent("drop")
        _ = try await fixture.add("drop", .folder, path: folder.path)
        await service.pass()
        _ = try Self.run(
            "/usr/bin/logger",
            ["-n", "127.0.0.1", "-P", "\(port)", "-T", "--rfc3164", "-t", "squid", "-f", fixture.logFile.path]
        )
        try FileManager.default.copyItem(at: fixture.logFile, to: folder.appendingPathComponent("a.log"))
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            await service.pass()
            if try await fixture.store.intakes()[id]?.lines ?? 0 >= Int64(fixture.lines) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        for _ in 0..<2 { await service.pass() }
        let users = try await fixture.store.discoveryByUser(days: 0...100_000, app: nil, limit: nil).map(\.key)
        #expect(!users.isEmpty)
        #expect(users.allSatisfy { $0.hasPrefix(Anonymizer.prefix) }, "\(users.prefix(3))")
        let one = try #require(users.first)
        #expect(anonymizer.name(for: one).map { !$0.isEmpty } == true)

        on.withLock { $0 = false }
        try FileManager.default.copyItem(at: fixture.logFile, to: folder.appendingPathComponent("b.log"))
        for _ in 0..<3 { await service.pass() }
        await service.stopAll()
        let after = try await fixture.store.discoveryByUser(days: 0...100_000, app: nil, limit: nil).map(\.key)
        #expect(after.contains { !$0.hasPrefix(Anonymizer.prefix) })
    }
}
