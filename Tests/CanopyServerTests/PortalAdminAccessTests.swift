import CanopyServer
import CanopyStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Admin access ranges on the admins page: shown, saved through the same checks as the API (never a lock-out of the
/// admin saving them), audited, for global admins only.
@Suite struct PortalAdminAccessTests {
    @Test func aGlobalAdminSeesAndSavesTheAdminAccessRanges() async throws {
        try await PortalTests().withPortal { server, client in
            var admin = PortalTests.Browser(client: client)
            _ = try await admin.signIn("global-admin", PortalTests.password)
            let csrf = try await admin.csrf()
            // The in-process client has no address, so any range leaves it out: refused, nothing stored.
            let lockout = try await admin.send(
                "/admins/access",
                .post,
                form: [("_csrf", csrf), ("ranges", "10.0.0.0/8")]
            )
            #expect(lockout.status == .conflict && String(buffer: lockout.body).contains("lock yourself out"))
            #expect(try await server.store.setting("access.admin_ranges") == nil)
            let bad = try await admin.send("/admins/access", .post, form: [("_csrf", csrf), ("ranges", "10.0.0.0/40")])
            #expect(bad.status == .badRequest && String(buffer: bad.body).contains("10.0.0.0/40"))
            let open = try await admin.send("/admins/access", .post, form: [("_csrf", csrf), ("ranges", " ")])
            #expect(open.status == .seeOther)
            let audit = try #require(try await server.store.auditEntries(before: nil, limit: 1).first?.entry)
            #expect(audit.action == "settings.admin_access" && audit.detail == "from anywhere")

            let page = String(buffer: try await admin.send("/admins").body)
            #expect(page.contains(#"<textarea id="ranges" name="ranges" rows="4"></textarea>"#))

            var reader = PortalTests.Browser(client: client)
            _ = try await reader.signIn("security-admin", PortalTests.password)
            let readerCSRF = try await reader.csrf()
            #expect(
                try await reader.send("/admins/access", .post, form: [("_csrf", readerCSRF), ("ranges", "")]).status
                    == .forbidden
            )
        }
    }
}
