import CanopyStore
import Foundation
import Testing

/// The dashboard's queries and the snapshot reports, on every backend.
@Suite struct DashboardAndSnapshotStoreTests {
    static func traffic() -> [DiscoveryRow] {
        [
            StoreConformanceTests.row(20_000, "dropbox", "alice", "10.0.0.1", bytes: 400, at: 1_000),
            StoreConformanceTests.row(20_000, "dropbox", "bob", "10.0.0.2", bytes: 0, at: 3_000),
            StoreConformanceTests.row(20_001, "dropbox", "", "", bytes: 50, at: 9_000),
            StoreConformanceTests.row(20_001, "slack", "alice", "10.0.0.1", bytes: 1_000, at: 8_000),
            StoreConformanceTests.row(19_000, "slack", "carol", "10.0.0.3", bytes: 7, at: 10),
        ]
    }

    @Test(arguments: Backend.available)
    func totalsUsersIPsAndDaysAddUpOverARange(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await store.addDiscovery(Self.traffic())
            let totals = try await store.discoveryTotals(days: 20_000...20_001)
            #expect(totals.apps == 2 && totals.users == 2 && totals.sourceIPs == 2)
            #expect(totals.bytesTotal == 1_450 && totals.transactions == 4 && totals.blocked == 1)
            #expect(totals.firstSeen == 1_000 && totals.lastSeen == 9_000)

            let users = try await store.discoveryByUser(days: 20_000...20_001, app: nil, limit: nil)
            #expect(users.map(\.key) == ["alice", "bob"])
            #expect(users.first?.bytesTotal == 1_400 && users.first?.apps == 2)
            #expect(
                try await store.discoveryByUser(days: 20_000...20_001, app: "slack", limit: nil).map(\.key) == ["alice"]
            )
            #expect(try await store.discoveryByUser(days: 20_000...20_001, app: nil, limit: 1).count == 1)

            let ips = try await store.discoveryByIP(days: 19_000...20_001, app: nil, limit: 10)
            #expect(ips.map(\.key) == ["10.0.0.1", "10.0.0.3", "10.0.0.2"])

            let days = try await store.discoveryDaily(days: 19_000...20_001, app: "dropbox")
            #expect(days.map(\.day) == [20_000, 20_001])
            #expect(days.map(\.bytesTotal) == [400, 50])
            let empty = try await store.discoveryTotals(days: 30_000...30_001)
            #expect(empty.apps == 0 && empty.bytesTotal == 0 && empty.firstSeen == nil)
        }
    }

    @Test(arguments: Backend.available)
    func aSnapshotIsProcessedOnceListedNewestFirstAndDeleted(_ backend: Backend) async throws {
        try await withStore(backend) { store, reopen in
            let first = try await store.createSnapshot(
                SnapshotSummary(name: "proxy week 1", createdAt: 1_000, createdBy: "alice", files: 2, inputBytes: 10)
            )
            let second = try await store.createSnapshot(
                SnapshotSummary(name: "firewall <b>", createdAt: 2_000, createdBy: "bob")
            )
            #expect(second > first)
            let report = Data(#"{"totals":{}}"#.utf8)
            let done = SnapshotCompletion(
                status: .ready,
                format: "squid",
                files: 2,
                inputBytes: 10,
                error: nil,
                finishedAt: 1_500,
                digest: Data("{}".utf8),
                report: report
            )
            #expect(try await store.finishSnapshot(id: first, done))
            #expect(try await !store.finishSnapshot(id: first, done), "a snapshot finishes once")
            let listed = try await reopen().snapshots(before: nil, limit: 10)
            #expect(listed.map(\.id) == [second, first])
            #expect(listed.map(\.status) == [.processing, .ready])
            #expect(listed.last?.format == "squid" && listed.last?.finishedAt == 1_500)
            #expect(try await store.snapshots(before: second, limit: 10).map(\.id) == [first])
            let record = try #require(try await store.snapshot(id: first))
            #expect(record.report == report && record.summary.name == "proxy week 1")
            #expect(try await store.snapshot(id: second)?.report == nil)
            #expect(try await store.deleteSnapshot(id: first))
            #expect(try await !store.deleteSnapshot(id: first))
            #expect(try await store.snapshot(id: first) == nil)
            let failed = SnapshotCompletion(
                status: .failed,
                format: nil,
                files: 0,
                inputBytes: 0,
                error: "no known format",
                finishedAt: 3_000,
                digest: nil,
                report: nil
            )
            #expect(try await store.finishSnapshot(id: second, failed))
            #expect(try await store.snapshot(id: second)?.summary.error == "no known format")
        }
    }

    /// A privacy request: one user's aggregates are read in full and erased, nobody else's; a ready snapshot's
    /// report can be rewritten, a processing one cannot.
    @Test(arguments: Backend.available)
    func oneUsersDataIsExportedAndErasedAndReportsRewritten(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await store.addDiscovery(Self.traffic())
            let alice = try await store.discoveryRows(user: "alice")
            #expect(alice.map(\.app) == ["dropbox", "slack"])
            #expect(alice.map(\.bytesTotal) == [400, 1_000])
            #expect(try await store.discoveryRows(user: "Alice").isEmpty)
            #expect(try await store.deleteDiscovery(user: "alice") == 2)
            #expect(try await store.discoveryRows(user: "alice").isEmpty)
            #expect(try await store.discoveryRows(user: "bob").count == 1)
            #expect(try await store.deleteDiscovery(user: "nobody") == 0)

            let id = try await store.createSnapshot(SnapshotSummary(name: "s", createdAt: 1, createdBy: "t"))
            #expect(try await !store.replaceSnapshotReport(id: id, digest: nil, report: Data("{}".utf8)))
            let done = SnapshotCompletion(
                status: .ready,
                format: "squid.native",
                files: 1,
                inputBytes: 1,
                error: nil,
                finishedAt: 2,
                digest: Data("d".utf8),
                report: Data("r".utf8)
            )
            #expect(try await store.finishSnapshot(id: id, done))
            #expect(try await store.replaceSnapshotReport(id: id, digest: Data("d2".utf8), report: Data("r2".utf8)))
            let record = try #require(try await store.snapshot(id: id))
            #expect(record.report == Data("r2".utf8))
            #expect(record.summary.digest == Data("d2".utf8))
        }
    }

    @Test(arguments: Backend.available)
    func alertsOlderThanACutoffAreDeleted(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            for i in 0..<5 { try await store.raiseAlert(StoreConformanceTests.alert(i)) }
            // Alert i was raised at 1_700_000_000_000 + i.
            #expect(try await store.deleteAlerts(before: 1_700_000_000_003) == 3)
            #expect(
                try await store.alerts(before: nil, limit: 10).map(\.alert.time) == [
                    1_700_000_000_004, 1_700_000_000_003,
                ]
            )
            #expect(try await store.deleteAlerts(before: 0) == 0)
        }
    }
}
