import CanopyStore
import Testing

/// Admin accounts and portal sessions, on every backend (part of the conformance suite).
@Suite struct SessionStoreTests {
    static func account(_ name: String, role: String = "security-reader") -> AdminAccount {
        AdminAccount(
            name: name,
            passwordHash: "$2b$12$hash-of-\(name)",
            role: role,
            mustChangePassword: true,
            createdAt: 1
        )
    }

    static func session(_ hash: String, admin: String, at time: Int64 = 1_000) -> AdminSession {
        AdminSession(
            idHash: hash,
            admin: admin,
            csrfToken: "csrf-\(hash)",
            createdAt: time,
            lastSeen: time,
            expiresAt: time + 3_600_000,
            sourceIP: "192.0.2.7"
        )
    }

    @Test(arguments: Backend.available)
    func adminsAreListedUpdatedAndDeleted(_ backend: Backend) async throws {
        try await withStore(backend) { store, reopen in
            #expect(try await store.createAdmin(Self.account("zoe")))
            #expect(try await store.createAdmin(Self.account("ann", role: "global-admin")))
            #expect(try await store.admins().map(\.name) == ["ann", "zoe"])
            var zoe = try #require(try await store.admin(named: "zoe"))
            zoe.passwordHash = "$2b$12$new"
            zoe.role = "security-admin"
            zoe.mustChangePassword = false
            #expect(try await store.updateAdmin(zoe))
            #expect(try await reopen().admin(named: "zoe") == zoe)
            #expect(try await store.updateAdmin(Self.account("nobody")) == false)
            try await store.createSession(Self.session("h1", admin: "zoe"))
            #expect(try await store.deleteAdmin(named: "zoe"))
            #expect(try await store.deleteAdmin(named: "zoe") == false)
            #expect(try await store.admin(named: "zoe") == nil)
            // Deleting an account ends its sessions.
            #expect(try await store.session(idHash: "h1") == nil)
            #expect(try await store.adminCount() == 1)
        }
    }

    @Test(arguments: Backend.available)
    func sessionsAreFoundTouchedAndEnded(_ backend: Backend) async throws {
        try await withStore(backend) { store, reopen in
            _ = try await store.createAdmin(Self.account("ann"))
            let first = Self.session("h1", admin: "ann")
            try await store.createSession(first)
            try await store.createSession(Self.session("h2", admin: "ann"))
            try await store.createSession(Self.session("h3", admin: "bob", at: 50))
            #expect(try await reopen().session(idHash: "h1") == first)
            #expect(try await store.session(idHash: "missing") == nil)
            try await store.touchSession(idHash: "h1", lastSeen: 5_000)
            // A late, older touch never moves the idle clock back.
            try await store.touchSession(idHash: "h1", lastSeen: 2_000)
            #expect(try await store.session(idHash: "h1")?.lastSeen == 5_000)
            #expect(try await store.deleteSession(idHash: "h2"))
            #expect(try await store.deleteSession(idHash: "h2") == false)
            try await store.createSession(Self.session("h4", admin: "ann"))
            #expect(try await store.deleteSessions(admin: "ann") == 2)
            #expect(try await store.session(idHash: "h1") == nil)
            #expect(try await store.session(idHash: "h3") != nil)
        }
    }

    @Test(arguments: Backend.available)
    func expiredAndIdleSessionsAreDeleted(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await store.createSession(Self.session("old", admin: "ann", at: 0))  // expires at 3,600,000
            try await store.createSession(Self.session("idle", admin: "ann", at: 3_000_000))
            try await store.createSession(Self.session("fresh", admin: "ann", at: 3_500_000))
            try await store.touchSession(idHash: "fresh", lastSeen: 3_590_000)
            let deleted = try await store.deleteExpiredSessions(now: 3_600_000, idleSince: 3_100_000)
            #expect(deleted == 2)
            #expect(try await store.session(idHash: "fresh") != nil)
            #expect(try await store.session(idHash: "idle") == nil)
        }
    }
}
