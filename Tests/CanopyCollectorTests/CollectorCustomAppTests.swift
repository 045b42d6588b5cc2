import CanopyCollector
import CanopyStore
import Foundation
import Testing

extension CollectorServiceTests {
    /// A custom app saved in the store while a source is running applies to what arrives next (by domain and by IP
    /// range); what arrived before keeps the match it had.
    @Test func aCustomAppSavedWhileASourceRunsMatchesWhatArrivesNext() async throws {
        let fixture = try await Fixture()
        defer { fixture.cleanUp() }
        let lines =
            (0..<10).map {
                "1767225600.\(100 + $0)     45 10.0.0.5 TCP_MISS/200 1234 GET https://tool.acme-example.com/p\($0) "
                    + "alice HIER_DIRECT/198.51.100.7 text/html"
            }
            + (0..<5).map {
                "1767225601.\(100 + $0)     45 10.0.0.6 TCP_MISS/200 99 CONNECT 192.0.2.\(40 + $0):443 bob "
                    + "HIER_DIRECT/192.0.2.\(40 + $0) -"
            }
        let file = fixture.dir.appendingPathComponent("acme.log")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let port = Self.freePort()
        let id = try await fixture.add("acme-tcp", .tcp, port: port)
        let service = fixture.service()
        await service.pass()

        func send(expecting total: Int) async throws {
            _ = try Self.run(
                "/usr/bin/logger",
                ["-n", "127.0.0.1", "-P", "\(port)", "-T", "--rfc3164", "-t", "squid", "-f", file.path]
            )
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                await service.pass()
                if try await fixture.store.intakes()[id]?.lines ?? 0 >= Int64(total) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try await fixture.store.intakes()[id]?.records == Int64(total))
        }

        try await send(expecting: lines.count)
        #expect(try await Fixture.perApp(fixture.store)["acme-tool"] == nil)

        #expect(
            try await fixture.store.createCustomApp(
                CustomAppRecord(
                    id: "acme-tool",
                    name: "ACME Tool",
                    category: "business-management",
                    domains: ["acme-example.com"],
                    ipRanges: ["192.0.2.0/24"],
                    createdBy: "test",
                    createdAt: 1
                )
            )
        )
        // The next pass picks it up; messages from then on match it.
        await service.pass()
        try await send(expecting: 2 * lines.count)
        await service.stopAll()
        let acme = try #require(try await Fixture.perApp(fixture.store)["acme-tool"])
        #expect(acme[0] == Int64(lines.count))
        #expect(acme[1] + acme[2] == 10 * 1234 + 5 * 99)
    }
}
