import CanopyServer
import CanopyStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Custom apps in the portal: added, edited and deleted beside the catalog (CSRF, roles, audit, escaping), and part
/// of the catalog's pages at once.
@Suite struct PortalCustomAppTests {
    @Test func anAdminAddsACustomAppAndTheCatalogKnowsIt() async throws {
        try await PortalTests().withPortal { server, client in
            var admin = PortalTests.Browser(client: client)
            _ = try await admin.signIn("security-admin", PortalTests.password)
            let csrf = try await admin.csrf()
            let hostile = "<script>alert(1)</script> ERP"
            let form = [
                ("_csrf", csrf), ("id", "globex-erp"), ("name", hostile), ("vendor", "ACME"),
                ("category", "business-management"), ("domains", "erp.acme-corp.example\n*.erp2.acme-corp.example"),
                ("ipRanges", "192.0.2.0/24"), ("score", "4.5"), ("note", "reviewed"),
            ]
            #expect(try await admin.send("/catalog/custom", .post, form: Array(form.dropFirst())).status == .forbidden)
            let added = try await admin.send("/catalog/custom", .post, form: form)
            #expect(added.status == .seeOther && added.headers[.location] == "/catalog/custom?saved=globex-erp")
            let list = String(buffer: try await admin.send("/catalog/custom").body)
            #expect(list.contains("&lt;script&gt;alert(1)&lt;/script&gt; ERP") && !list.contains("<script>alert"))
            #expect(list.contains("erp.acme-corp.example, erp2.acme-corp.example, 192.0.2.0/24"))
            #expect(list.contains("Add a custom app"))

            let bad = try await admin.send(
                "/catalog/custom",
                .post,
                form: [
                    ("_csrf", csrf), ("id", "x"), ("name", "x"), ("category", "productivity"),
                    ("domains", "exa mple..com"),
                ]
            )
            #expect(bad.status == .badRequest && String(buffer: bad.body).contains("is not a domain"))
            let taken = try await admin.send("/catalog/custom", .post, form: form)
            #expect(taken.status == .conflict)

            // The catalog search and the app's page know it, with its score.
            let catalog = String(buffer: try await admin.send("/catalog?q=acme").body)
            #expect(catalog.contains(#"<a href="/discovery/apps/globex-erp">&lt;script&gt;"#))
            let page = String(buffer: try await admin.send("/discovery/apps/globex-erp").body)
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; ERP"))

            let edit = String(buffer: try await admin.send("/catalog/custom/globex-erp").body)
            #expect(edit.contains(#"<option value="business-management" selected>"#) && edit.contains(#"value="4.5""#))
            let changed = try await admin.send(
                "/catalog/custom/globex-erp",
                .post,
                form: [
                    ("_csrf", csrf), ("name", "ACME ERP"), ("category", "productivity"),
                    ("domains", "erp.acme.example"),
                ]
            )
            #expect(changed.status == .seeOther)
            let updated = try #require(try await server.store.customApps().first)
            #expect(updated.name == "ACME ERP" && updated.domains == ["erp.acme.example"] && updated.score == nil)

            var reader = PortalTests.Browser(client: client)
            _ = try await reader.signIn("security-reader", PortalTests.password)
            let readerCSRF = try await reader.csrf()
            let readerList = String(buffer: try await reader.send("/catalog/custom").body)
            #expect(readerList.contains("ACME ERP") && !readerList.contains("Add a custom app"))
            #expect(
                try await reader.send("/catalog/custom/globex-erp/delete", .post, form: [("_csrf", readerCSRF)]).status
                    == .forbidden
            )
            #expect(
                try await admin.send("/catalog/custom/globex-erp/delete", .post, form: [("_csrf", csrf)]).status
                    == .seeOther
            )
            #expect(try await server.store.customApps().isEmpty)
            #expect(try await admin.send("/catalog/custom/globex-erp").status == .notFound)
            let audit = try await server.store.auditEntries(before: nil, limit: 20).map(\.entry)
                .filter { $0.action.hasPrefix("custom_app.") }
            #expect(audit.map(\.action) == ["custom_app.delete", "custom_app.update", "custom_app.create"])
            #expect(audit.allSatisfy { $0.actor == "security-admin" })
        }
    }
}
