import CanopyCore
import CanopyStore
import Testing

/// Activities on every backend: every field survives the round trip, an event read twice is stored once, lists
/// are newest first through every filter and the cursor, and old or one user's activities are deleted.
@Suite struct ActivityStoreTests {
    static func full() -> Activity {
        Activity(
            sourceEventID: "3038ebd2-c98a-4c65-9b6e-e22506292313",
            time: 1_700_000_000_123,
            source: .connector,
            app: "amazon-web-services",
            instance: "123456789012",
            actor: Activity.Actor(
                id: "arn:aws:iam::123456789012:user/Alice",
                name: "alice@example.com",
                email: "alice@example.com",
                kind: .user,
                isAdmin: true
            ),
            impersonated: true,
            ip: "2001:db8::7",
            location: Activity.Location(
                country: "DE",
                region: "Berlin",
                city: "Berlin",
                latitude: 52.52,
                longitude: 13.405
            ),
            isp: "Example Telecom",
            asn: 64_500,
            ipTags: ["corporate", "vpn"],
            userAgent: "Mozilla/5.0 \"quoted\" <script>",
            deviceTags: ["managed"],
            type: .adminChange,
            rawEventName: "AttachUserPolicy",
            objects: ["arn:aws:iam::aws:policy/AdministratorAccess", "Bob'; DROP TABLE activities; --"],
            result: .success,
            raw: #"{"eventName":"AttachUserPolicy","unicode":"Zürich ✓"}"#
        )
    }

    static func sparse(
        _ id: String,
        time: Int64,
        user: String?,
        app: String = "okta",
        type: ActivityType = .login
    )
        -> Activity
    {
        Activity(
            sourceEventID: id,
            time: time,
            source: .import,
            app: app,
            actor: Activity.Actor(name: user, kind: user == nil ? .system : .user),
            ip: user == nil ? nil : "192.0.2.\(time / 1_000 % 200)",
            type: type,
            rawEventName: type == .failedLogin ? "user.session.start" : "event",
            result: type == .failedLogin ? .failure : .success
        )
    }

    @Test(arguments: Backend.available)
    func everyFieldSurvivesAndARepeatedEventIsStoredOnce(_ backend: Backend) async throws {
        try await withStore(backend) { store, reopen in
            let full = Self.full()
            let bare = Self.sparse("e1", time: 5, user: nil)
            #expect(try await store.appendActivities([full, bare]) == 2)
            // The same page read again, plus one event of another instance with the same event id: one new row.
            var otherAccount = full
            otherAccount.instance = "210987654321"
            #expect(try await store.appendActivities([bare, full, otherAccount]) == 1)
            #expect(try await store.appendActivities([]) == 0)
            let stored = try await reopen().activities(ActivityFilter(), before: nil, limit: 10)
            #expect(stored.count == 3)
            #expect(stored.map(\.id) == stored.map(\.id).sorted(by: >))
            #expect(stored.last?.activity == full)
            #expect(stored[1].activity == bare)
            #expect(stored[1].activity.location == nil && stored[1].activity.ipTags.isEmpty)
            #expect(stored[0].activity == otherAccount)
        }
    }

    @Test(arguments: Backend.available)
    func listsAreFilteredPagedAndDeleted(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            var batch: [Activity] = []
            for i in 0..<8 {
                batch.append(
                    Self.sparse(
                        "e\(i)",
                        time: 1_000 * Int64(i + 1),
                        user: i % 2 == 0 ? "alice" : "bob",
                        app: i < 6 ? "okta" : "github",
                        type: i == 3 ? .failedLogin : (i % 3 == 0 ? .download : .login)
                    )
                )
            }
            #expect(try await store.appendActivities(batch) == 8)
            let all = try await store.activities(ActivityFilter(), before: nil, limit: 100)
            let ids = all.map(\.id)
            #expect(all.map(\.activity.sourceEventID) == (0..<8).reversed().map { "e\($0)" })
            func listed(_ f: ActivityFilter, before: Int64? = nil, limit: Int = 100) async throws -> [String] {
                try await store.activities(f, before: before, limit: limit).map(\.activity.sourceEventID)
            }
            #expect(try await listed(ActivityFilter(app: "github")) == ["e7", "e6"])
            #expect(try await listed(ActivityFilter(user: "bob")) == ["e7", "e5", "e3", "e1"])
            #expect(try await listed(ActivityFilter(type: .download)) == ["e6", "e0"])
            #expect(try await listed(ActivityFilter(result: .failure)) == ["e3"])
            #expect(try await listed(ActivityFilter(ip: "192.0.2.2")) == ["e1"])  // time 2,000
            #expect(try await listed(ActivityFilter(source: .connector)).isEmpty)
            #expect(try await listed(ActivityFilter(instance: "")).count == 8)
            #expect(try await listed(ActivityFilter(from: 2_000, to: 4_000)) == ["e2", "e1"])
            #expect(try await listed(ActivityFilter(app: "okta", user: "alice", type: .login)) == ["e4", "e2"])
            #expect(try await listed(ActivityFilter(), before: ids[2], limit: 2) == ["e4", "e3"])
            #expect(try await listed(ActivityFilter(), limit: 0).isEmpty)

            #expect(try await store.deleteActivities(user: "bob") == 4)
            #expect(try await listed(ActivityFilter()) == ["e6", "e4", "e2", "e0"])
            #expect(try await store.deleteActivities(before: 5_000) == 2)
            #expect(try await listed(ActivityFilter()) == ["e6", "e4"])
            #expect(try await store.deleteActivities(before: 5_000) == 0)
        }
    }
}
