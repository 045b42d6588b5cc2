import CanopyStore
import Testing

/// The governance log on every backend: appended with growing ids, read newest first through every filter and the
/// cursor, statuses moved, old entries deleted by time.
@Suite struct GovernanceStoreTests {
    @Test(arguments: Backend.available)
    func entriesAreFilteredPagedUpdatedAndExpired(_ backend: Backend) async throws {
        try await withStore(backend) { store, reopen in
            var ids: [Int64] = []
            for i in 0..<6 {
                ids.append(
                    try await store.appendGovernance(
                        GovernanceEntry(
                            time: 1_000 * Int64(i + 1),
                            kind: i < 4 ? "app" : "account",
                            action: i % 2 == 0 ? "app.unsanction" : "app.sanction",
                            target: i == 5 ? "'; DROP TABLE governance_log; --" : "app\(i % 3)",
                            detail: "step \(i)",
                            status: i == 4 ? .pending : .succeeded,
                            initiatedBy: "alice"
                        )
                    )
                )
            }
            #expect(ids == ids.sorted() && Set(ids).count == 6)
            let all = try await reopen().governanceEntries(GovernanceFilter(), before: nil, limit: 100)
            #expect(all.map(\.id) == ids.reversed())
            #expect(all.last?.entry.detail == "step 0" && all.first?.entry.target == "'; DROP TABLE governance_log; --")

            func listed(_ filter: GovernanceFilter, before: Int64? = nil, limit: Int = 100) async throws -> [Int64] {
                try await store.governanceEntries(filter, before: before, limit: limit).map(\.id)
            }
            #expect(try await listed(GovernanceFilter(kind: "account")) == [ids[5], ids[4]])
            #expect(try await listed(GovernanceFilter(action: "app.sanction")) == [ids[5], ids[3], ids[1]])
            #expect(try await listed(GovernanceFilter(status: .pending)) == [ids[4]])
            #expect(try await listed(GovernanceFilter(target: "app0")) == [ids[3], ids[0]])
            #expect(try await listed(GovernanceFilter(from: 2_000, to: 4_000)) == [ids[2], ids[1]])
            #expect(
                try await listed(GovernanceFilter(kind: "app", action: "app.unsanction", target: "app2")) == [ids[2]]
            )
            #expect(try await listed(GovernanceFilter(), before: ids[3], limit: 2) == [ids[2], ids[1]])

            #expect(try await store.setGovernanceStatus(id: ids[4], .failed, error: "429 from the app"))
            #expect(try await !store.setGovernanceStatus(id: 999_999, .failed, error: nil))
            let failed = try #require(
                try await store.governanceEntries(GovernanceFilter(status: .failed), before: nil, limit: 5).first
            )
            #expect(failed.id == ids[4] && failed.entry.error == "429 from the app")

            #expect(try await store.deleteGovernance(before: 3_000) == 2)
            #expect(try await listed(GovernanceFilter()) == Array(ids.dropFirst(2).reversed()))
        }
    }
}
