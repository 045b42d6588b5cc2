import CanopyCore
import CanopyServer
import CanopyStore
import Foundation
import Logging
import Testing

/// Retention: old activities, discovery data, alerts and governance entries go on schedule, all discovery data on
/// request, and every deletion is audited.
@Suite struct RetentionTests {
    static let day: Int64 = 86_400_000
    static let today: Int32 = 20_500
    static let now = Int64(today) * day + 3_600_000

    func withStore(_ body: (any Store) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-retention-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.path + "/canopy.sqlite")
        try await store.migrate()
        try await body(store)
    }

    static func rows(daysAgo: [Int32]) -> [DiscoveryRow] {
        daysAgo.map { ago in
            DiscoveryRow(
                day: today - ago,
                app: "dropbox",
                user: "u\(ago)",
                sourceIP: "10.0.0.1",
                bytesUp: 1,
                bytesDown: 1,
                bytesTotal: 2,
                transactions: 1,
                blocked: 0,
                firstSeen: 0,
                lastSeen: 0
            )
        }
    }

    @Test func thePolicyComesFromSettingsWithTheReferenceDefault() async throws {
        try await withStore { store in
            #expect(try await RetentionPolicy.current(in: store).discoveryDays == 90)
            try await store.setSetting(RetentionPolicy.discoveryKey, to: "30")
            #expect(try await RetentionPolicy.current(in: store).discoveryDays == 30)
            for bad in ["0", "-5", "ninety", "99999"] {
                try await store.setSetting(RetentionPolicy.discoveryKey, to: bad)
                #expect(try await RetentionPolicy.current(in: store).discoveryDays == 90, "\(bad)")
            }
        }
    }

    @Test func retentionKeepsTheLastNinetyDaysAndAuditsWhatItDeleted() async throws {
        try await withStore { store in
            try await store.addDiscovery(Self.rows(daysAgo: [0, 1, 88, 89, 90, 91, 400]))
            #expect(try await Retention.apply(to: store, now: Self.now) == 3)
            let left = try await store.discoveryByApp(days: 0...Int32.max)
            #expect(left.first?.transactions == 4)
            let audit = try await store.auditEntries(before: nil, limit: 10)
            #expect(audit.count == 1)
            #expect(audit.first?.entry.actor == "system" && audit.first?.entry.action == "retention.discovery")
            // Nothing more to delete: no new audit entry.
            #expect(try await Retention.apply(to: store, now: Self.now) == 0)
            #expect(try await store.auditEntries(before: nil, limit: 10).count == 1)
        }
    }

    @Test func deletingAllDiscoveryDataIsAuditedWithWhoAndWhere() async throws {
        try await withStore { store in
            try await store.addDiscovery(Self.rows(daysAgo: [0, 5, 10]))
            let deleted = try await Retention.deleteAllDiscovery(
                in: store,
                by: "alice",
                from: "192.0.2.7",
                now: Self.now
            )
            #expect(deleted == 3)
            #expect(try await store.discoveryByApp(days: 0...Int32.max).isEmpty)
            let entry = try #require(try await store.auditEntries(before: nil, limit: 1).first?.entry)
            #expect(entry.actor == "alice" && entry.sourceIP == "192.0.2.7" && entry.action == "discovery.delete-all")
        }
    }

    @Test func theServiceRunsAtStartAndStopsWhenCancelled() async throws {
        try await withStore { store in
            try await store.addDiscovery(Self.rows(daysAgo: [0, 200]))
            try await store.appendActivities([
                Self.activity(daysAgo: 0, id: "new"), Self.activity(daysAgo: 200, id: "old"),
            ])
            let service = RetentionService(
                store: store,
                interval: .seconds(3_600),
                clock: { RetentionTests.now },
                logger: Logger(label: "test")
            )
            let task = Task { try await service.run() }
            var remaining = 2
            for _ in 0..<1_000 where remaining > 1 {  // Up to 10 s on a loaded machine.
                try await Task.sleep(for: .milliseconds(10))
                remaining = Int(try await store.discoveryByApp(days: 0...Int32.max).first?.transactions ?? 0)
            }
            #expect(remaining == 1)
            var activities = 2
            for _ in 0..<1_000 where activities > 1 {
                try await Task.sleep(for: .milliseconds(10))
                activities = try await store.activities(ActivityFilter(), before: nil, limit: 10).count
            }
            #expect(activities == 1)
            task.cancel()
            try await task.value
        }
    }

    @Test func endedSessionsAreDeletedOnTheRetentionRun() async throws {
        try await withStore { store in
            let policy = SessionPolicy()
            func session(_ id: String, lastSeen: Int64, expiresAt: Int64) -> AdminSession {
                AdminSession(
                    idHash: id,
                    admin: "admin",
                    csrfToken: "t",
                    createdAt: lastSeen,
                    lastSeen: lastSeen,
                    expiresAt: expiresAt,
                    sourceIP: nil
                )
            }
            try await store.createSession(session("live", lastSeen: Self.now - 60_000, expiresAt: Self.now + 3_600_000))
            try await store.createSession(
                session("idle", lastSeen: Self.now - policy.idle - 1, expiresAt: Self.now + 3_600_000)
            )
            try await store.createSession(session("expired", lastSeen: Self.now - 1_000, expiresAt: Self.now - 1))
            #expect(try await Retention.deleteEndedSessions(in: store, now: Self.now, policy: policy) == 2)
            #expect(try await store.session(idHash: "live") != nil)
            #expect(try await store.session(idHash: "idle") == nil)
            #expect(try await store.session(idHash: "expired") == nil)
        }
    }

    static func activity(daysAgo: Int, id: String) -> Activity {
        Activity(
            sourceEventID: id,
            time: now - Int64(daysAgo) * day,
            source: .connector,
            app: "amazon-web-services",
            actor: Activity.Actor(name: "alice"),
            type: .login,
            rawEventName: "ConsoleLogin"
        )
    }

    @Test func activitiesOlderThanTheirRetentionGoAndTheDeletionIsAudited() async throws {
        try await withStore { store in
            #expect(try await RetentionPolicy.current(in: store).activitiesDays == 180)
            let ages = [0, 179, 181, 400]
            #expect(try await store.appendActivities(ages.map { Self.activity(daysAgo: $0, id: "e\($0)") }) == 4)
            #expect(try await Retention.applyToActivities(in: store, now: Self.now) == 2)
            let kept = try await store.activities(ActivityFilter(), before: nil, limit: 10).map(
                \.activity.sourceEventID
            )
            #expect(kept == ["e179", "e0"])
            let audit = try #require(try await store.auditEntries(before: nil, limit: 1).first?.entry)
            #expect(audit.action == "retention.activities" && audit.actor == "system")
            #expect(audit.detail == "deleted 2 activities older than 180 days")
            // Nothing left to delete: no new audit entry.
            #expect(try await Retention.applyToActivities(in: store, now: Self.now) == 0)
            #expect(try await store.auditEntries(before: nil, limit: 10).count == 1)
            try await store.setSetting(RetentionPolicy.activitiesKey, to: "30")
            #expect(try await Retention.applyToActivities(in: store, now: Self.now) == 1)
            try await store.setSetting(RetentionPolicy.activitiesKey, to: "0")
            #expect(try await RetentionPolicy.current(in: store).activitiesDays == 180)
        }
    }

    @Test func alertsOlderThanTheirRetentionGoAndTheDeletionIsAudited() async throws {
        try await withStore { store in
            #expect(try await RetentionPolicy.current(in: store).alertsDays == 180)
            for daysAgo in [0, 179, 181, 400] {
                try await store.raiseAlert(
                    SystemAlert(
                        time: Self.now - Int64(daysAgo) * Self.day,
                        kind: "datasource.silent",
                        severity: "medium",
                        title: "t\(daysAgo)",
                        detail: "d",
                        entity: "datasource:1",
                        dedupKey: nil,
                        status: "open"
                    )
                )
            }
            #expect(try await Retention.applyToAlerts(in: store, now: Self.now) == 2)
            #expect(try await store.alerts(before: nil, limit: 10).map(\.alert.title) == ["t179", "t0"])
            #expect(try await store.auditEntries(before: nil, limit: 1).first?.entry.action == "retention.alerts")
            try await store.setSetting(RetentionPolicy.alertsKey, to: "30")
            #expect(try await Retention.applyToAlerts(in: store, now: Self.now) == 1)
        }
    }

    @Test func governanceEntriesOlderThanTheirRetentionGoAndTheDeletionIsAudited() async throws {
        try await withStore { store in
            #expect(try await RetentionPolicy.current(in: store).governanceDays == 120)
            for daysAgo in [0, 119, 121, 365] {
                try await store.appendGovernance(
                    GovernanceEntry(
                        time: Self.now - Int64(daysAgo) * Self.day,
                        kind: "app",
                        action: "app.unsanction",
                        target: "app\(daysAgo)",
                        initiatedBy: "alice"
                    )
                )
            }
            #expect(try await Retention.applyToGovernance(in: store, now: Self.now) == 2)
            let kept = try await store.governanceEntries(GovernanceFilter(), before: nil, limit: 10).map(\.entry.target)
            #expect(kept == ["app119", "app0"])
            #expect(try await store.auditEntries(before: nil, limit: 1).first?.entry.action == "retention.governance")
            try await store.setSetting(RetentionPolicy.governanceKey, to: "30")
            #expect(try await Retention.applyToGovernance(in: store, now: Self.now) == 1)
            try await store.setSetting(RetentionPolicy.governanceKey, to: "not a number")
            #expect(try await RetentionPolicy.current(in: store).governanceDays == 120)
        }
    }
}
