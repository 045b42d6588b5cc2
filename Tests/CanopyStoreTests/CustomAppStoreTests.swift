import CanopyStore
import Testing

/// Custom apps on every backend: one per id, lists and optional fields kept, updates and deletes by id.
@Suite struct CustomAppStoreTests {
    static let erp = CustomAppRecord(
        id: "acme-erp",
        name: "ACME “ERP” 🏭",
        vendor: "ACME Corp.",
        category: "business-management",
        domains: ["erp.acme.example", "acme-erp.example"],
        ipRanges: ["203.0.113.0/24", "2001:db8:99::/48"],
        score: 8.5,
        note: "our ERP, reviewed in 2026",
        createdBy: "alice",
        createdAt: 1_000
    )

    @Test(arguments: Backend.available)
    func appsAreCreatedOncePerIdUpdatedAndDeleted(_ backend: Backend) async throws {
        try await withStore(backend) { store, reopen in
            #expect(try await store.customApps().isEmpty)
            #expect(try await store.createCustomApp(Self.erp))
            #expect(try await !store.createCustomApp(Self.erp))
            var wiki = Self.erp
            wiki.id = "acme-wiki"
            wiki.name = "'; DROP TABLE custom_apps; --"
            wiki.vendor = nil
            wiki.ipRanges = []
            wiki.score = nil
            wiki.note = ""
            #expect(try await store.createCustomApp(wiki))
            let listed = try await reopen().customApps()
            #expect(listed == [Self.erp, wiki])

            var changed = Self.erp
            changed.name = "ACME ERP"
            changed.domains = ["erp.acme.example"]
            changed.score = nil
            changed.vendor = nil
            changed.updatedBy = "bob"
            changed.updatedAt = 2_000
            #expect(try await store.updateCustomApp(changed))
            #expect(try await store.customApps().first == changed)
            changed.createdBy = "mallory"
            changed.createdAt = 5
            #expect(try await store.updateCustomApp(changed))
            let kept = try #require(try await store.customApps().first)
            #expect(kept.createdBy == "alice" && kept.createdAt == 1_000)
            changed.id = "nobody"
            #expect(try await !store.updateCustomApp(changed))

            #expect(try await store.deleteCustomApp(id: "acme-erp"))
            #expect(try await !store.deleteCustomApp(id: "acme-erp"))
            #expect(try await store.customApps().map(\.id) == ["acme-wiki"])
        }
    }
}
