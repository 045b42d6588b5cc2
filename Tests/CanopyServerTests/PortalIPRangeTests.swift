import CanopyServer
import CanopyStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// IP ranges in the portal: added, edited and deleted from the settings page (CSRF, roles, audit, escaping), shown
/// beside each discovered IP address, and usable as a filter there.
@Suite struct PortalIPRangeTests {
    @Test func anAdminNamesARangeAndTheIPPageShowsIt() async throws {
        try await PortalTests().withPortal { server, client in
            var admin = PortalTests.Browser(client: client)
            _ = try await admin.signIn("security-admin", PortalTests.password)
            let csrf = try await admin.csrf()
            let hostile = "<script>alert(1)</script> HQ"
            let form = [
                ("_csrf", csrf), ("name", hostile), ("category", "vpn"), ("blocks", "10.0.0.0/31\n192.0.2.1"),
                ("tags", "egress eu"),
            ]
            #expect(
                try await admin.send("/settings/ip-ranges", .post, form: Array(form.dropFirst())).status == .forbidden
            )
            let added = try await admin.send("/settings/ip-ranges", .post, form: form)
            #expect(added.status == .seeOther && added.headers[.location] == "/settings?saved=1#ip-ranges")
            let settings = String(buffer: try await admin.send("/settings").body)
            #expect(
                settings.contains("&lt;script&gt;alert(1)&lt;/script&gt; HQ") && !settings.contains("<script>alert")
            )
            #expect(settings.contains("10.0.0.0/31, 192.0.2.1/32") && settings.contains("egress, eu"))

            let bad = try await admin.send(
                "/settings/ip-ranges",
                .post,
                form: [("_csrf", csrf), ("name", "x"), ("category", "vpn"), ("blocks", "10.0.0.0/40")]
            )
            #expect(bad.status == .badRequest && String(buffer: bad.body).contains("10.0.0.0/40 is not an address"))

            let ips = String(buffer: try await admin.send("/discovery/ips").body)
            #expect(ips.contains("<td>10.0.0.0</td><td>&lt;script&gt;alert(1)&lt;/script&gt; HQ</td><td>VPN</td>"))
            let vpnOnly = String(buffer: try await admin.send("/discovery/ips?category=vpn").body)
            #expect(vpnOnly.contains("<td>10.0.0.1</td>") && vpnOnly.contains("2 IP addresses"))
            let none = String(buffer: try await admin.send("/discovery/ips?category=none").body)
            #expect(none.contains("0 IP addresses"))

            let id = try #require(try await server.store.ipRanges().first?.id)
            let edit = String(buffer: try await admin.send("/settings/ip-ranges/\(id)").body)
            #expect(edit.contains(#"<option value="vpn" selected>VPN</option>"#))
            let changed = try await admin.send(
                "/settings/ip-ranges/\(id)",
                .post,
                form: [("_csrf", csrf), ("name", "HQ"), ("category", "corporate"), ("blocks", "10.0.0.1")]
            )
            #expect(changed.status == .seeOther)
            let corporate = String(buffer: try await admin.send("/discovery/ips?category=corporate").body)
            #expect(
                corporate.contains("<td>10.0.0.1</td><td>HQ</td><td>Corporate</td>")
                    && corporate.contains("1 IP addresses")
            )

            var reader = PortalTests.Browser(client: client)
            _ = try await reader.signIn("security-reader", PortalTests.password)
            let readerCSRF = try await reader.csrf()
            let readerSettings = String(buffer: try await reader.send("/settings").body)
            #expect(readerSettings.contains(">HQ</a>") && !readerSettings.contains("Add an IP range"))
            #expect(
                try await reader.send("/settings/ip-ranges/\(id)/delete", .post, form: [("_csrf", readerCSRF)]).status
                    == .forbidden
            )

            #expect(
                try await admin.send("/settings/ip-ranges/\(id)/delete", .post, form: [("_csrf", csrf)]).status
                    == .seeOther
            )
            #expect(try await server.store.ipRanges().isEmpty)
            let audit = try await server.store.auditEntries(before: nil, limit: 20).map(\.entry)
                .filter { $0.action.hasPrefix("ip_range.") }
            #expect(audit.map(\.action) == ["ip_range.delete", "ip_range.update", "ip_range.create"])
            #expect(audit.allSatisfy { $0.actor == "security-admin" })
        }
    }
}
