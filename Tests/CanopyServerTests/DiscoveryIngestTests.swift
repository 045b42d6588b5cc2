import CanopyCollector
import CanopyCore
import CanopyDiscovery
import CanopyServer
import CanopyStore
import CanopyTesting
import Foundation
import Testing

/// Logs into the store: the same traffic, users and IPs per app as the snapshot report of `canopy discover`.
@Suite struct DiscoveryIngestTests {
    @Test func theStoreHoldsWhatTheSnapshotReportShowsPerApp() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.path + "/canopy.sqlite")
        try await store.migrate()
        let catalog = TestCatalog.small()
        let samples = FixturePaths.repositoryRoot.appendingPathComponent("samples/discovery").path

        let outcome = try await DiscoveryIngest.ingest(paths: [samples], catalog: catalog, store: store)
        #expect(outcome.failures.isEmpty)
        #expect(outcome.sources.count == 3 && outcome.records > 0 && outcome.aggregates > 0)

        // The snapshot report over the same logs.
        let runner = DiscoveryRunner(
            matcher: AppMatcher(catalog: catalog),
            options: DiscoveryRunner.Options(context: ParseContext(capturesDetail: false))
        )
        let result = runner.run(paths: [samples])
        let report = DiscoveryReportBuilder(
            catalog: catalog,
            settings: DiscoverySettings(),
            scorer: RiskScorer(catalog: catalog, settings: ScoringSettings(), currentYear: 2026)
        ).build(result.aggregator, sources: result.sources, generatedAt: Timestamp(secondsSinceEpoch: 0))
        #expect(outcome.records == result.sources.reduce(0) { $0 + $1.statistics.records })

        let stored = try await store.discoveryByApp(days: Int32.min...Int32.max)
        #expect(!stored.isEmpty)
        #expect(Set(stored.map(\.app)) == Set(report.apps.map(\.id)))
        for app in report.apps {
            let row = try #require(stored.first { $0.app == app.id })
            #expect(row.transactions == app.traffic.transactions, "\(app.id)")
            #expect(row.bytesTotal == app.traffic.bytesTotal && row.blocked == app.traffic.blocked, "\(app.id)")
            // Distinct counts come from the store's sketches: exact up to their limit, estimates past it.
            #expect(Self.close(row.users, app.users) && Self.close(row.sourceIPs, app.sourceIPs), "\(app.id)")
        }

        // Ingesting the same logs again doubles the traffic (aggregates add up) without new keys.
        let again = try await DiscoveryIngest.ingest(paths: [samples], catalog: catalog, store: store)
        #expect(again.aggregates == outcome.aggregates)
        let doubled = try await store.discoveryByApp(days: Int32.min...Int32.max)
        #expect(doubled.map(\.transactions) == stored.map { $0.transactions * 2 })
    }

    static func close(_ stored: Int, _ exact: Int) -> Bool {
        exact <= DistinctSketch.exactLimit ? stored == exact : abs(Double(stored - exact)) / Double(exact) < 0.025
    }

    @Test func demoTrafficCanBeMovedToEndOnAGivenDay() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.path + "/canopy.sqlite")
        try await store.migrate()
        let samples = FixturePaths.repositoryRoot.appendingPathComponent("samples/discovery/zeek-ssl.log").path
        let original = try await DiscoveryIngest.ingest(paths: [samples], catalog: TestCatalog.small(), store: store)
        let before = try await store.discoveryByApp(days: Int32.min...Int32.max)
        _ = try await store.deleteDiscovery(before: nil)
        let moved = try await DiscoveryIngest.ingest(
            paths: [samples],
            catalog: TestCatalog.small(),
            store: store,
            endingOn: 30_000
        )
        #expect(moved.aggregates == original.aggregates)
        let after = try await store.discoveryByApp(days: Int32.min...Int32.max)
        #expect(after.map(\.transactions) == before.map(\.transactions))
        let last = try #require(after.map(\.lastSeen).max())
        #expect(last / 86_400_000 == 30_000)
        #expect(try await store.discoveryByApp(days: 30_000...30_000).isEmpty == false)
    }

    @Test func unreadableAndUnrecognizedInputsAreReportedNotFatal() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("this is not a firewall log\nnor is this\n".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        let store = try SQLiteStore(path: dir.path + "/canopy.sqlite")
        try await store.migrate()
        let outcome = try await DiscoveryIngest.ingest(
            paths: [dir.appendingPathComponent("notes.txt").path, dir.appendingPathComponent("missing.log").path],
            catalog: TestCatalog.small(),
            store: store
        )
        #expect(outcome.failures.count == 2, "\(outcome.failures)")
        #expect(outcome.records == 0)
    }
}
