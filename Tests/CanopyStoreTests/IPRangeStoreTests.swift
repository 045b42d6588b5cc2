import CanopyStore
import Testing

/// IP address ranges on every backend: unique names, lists kept in order, updates and deletes by id.
@Suite struct IPRangeStoreTests {
    static let hq = IPRangeRecord(
        name: "HQ “Berlin” 🏢",
        category: "corporate",
        blocks: ["10.20.0.0/16", "2001:db8:20::/48"],
        tags: ["office", "eu"],
        createdBy: "alice",
        createdAt: 1_000
    )

    @Test(arguments: Backend.available)
    func rangesAreCreatedOncePerNameUpdatedAndDeleted(_ backend: Backend) async throws {
        try await withStore(backend) { store, reopen in
            #expect(try await store.ipRanges().isEmpty)
            guard case .written(let id) = try await store.createIPRange(Self.hq) else {
                Issue.record("not created")
                return
            }
            #expect(try await store.createIPRange(Self.hq) == .nameTaken)
            var vpn = Self.hq
            vpn.name = "'; DROP TABLE ip_ranges; --"
            vpn.category = "vpn"
            vpn.blocks = ["198.51.100.0/24"]
            vpn.tags = []
            guard case .written(let vpnID) = try await store.createIPRange(vpn) else {
                Issue.record("not created")
                return
            }
            let listed = try await reopen().ipRanges()
            #expect(listed.map(\.name) == [vpn.name, Self.hq.name])
            #expect(listed.last?.blocks == Self.hq.blocks && listed.last?.tags == Self.hq.tags)
            #expect(listed.first?.tags == [] && listed.first?.id == vpnID)

            var renamed = listed.last!
            renamed.name = vpn.name
            #expect(try await store.updateIPRange(renamed) == .nameTaken)
            renamed.name = "HQ"
            renamed.category = "administrative"
            renamed.blocks = ["10.20.30.0/24"]
            renamed.updatedBy = "bob"
            renamed.updatedAt = 2_000
            #expect(try await store.updateIPRange(renamed) == .written(id))
            let updated = try #require(try await store.ipRanges().first { $0.id == id })
            #expect(updated == renamed && updated.createdBy == "alice" && updated.createdAt == 1_000)
            renamed.id = 999_999
            #expect(try await store.updateIPRange(renamed) == .notFound)

            #expect(try await store.deleteIPRange(id: id))
            #expect(try await !store.deleteIPRange(id: id))
            #expect(try await store.ipRanges().map(\.id) == [vpnID])
        }
    }
}
