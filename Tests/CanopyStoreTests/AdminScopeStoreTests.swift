import CanopyStore
import Testing

/// The apps of app-scoped admins on every backend: replaced as a whole, per admin, sorted.
@Suite struct AdminScopeStoreTests {
    @Test(arguments: Backend.available)
    func scopesAreReplacedPerAdmin(_ backend: Backend) async throws {
        try await withStore(backend) { store, reopen in
            #expect(try await store.adminApps(named: "carol").isEmpty)
            try await store.setAdminApps(["slack", "box", "box", "'; DROP TABLE admins; --"], for: "carol")
            try await store.setAdminApps(["github"], for: "dave")
            #expect(try await reopen().adminApps(named: "carol") == ["'; DROP TABLE admins; --", "box", "slack"])
            try await store.setAdminApps(["zoom"], for: "carol")
            #expect(try await store.adminApps(named: "carol") == ["zoom"])
            try await store.setAdminApps([], for: "carol")
            #expect(try await store.adminApps(named: "carol").isEmpty)
            #expect(try await store.adminApps(named: "dave") == ["github"])
        }
    }
}
