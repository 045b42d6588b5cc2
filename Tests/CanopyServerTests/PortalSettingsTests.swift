import CanopyServer
import CanopyStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The settings page: retention of activities, discovery data, alerts and the governance log, and the risk-score weights —
/// checked, saved for every node, audited, and refused to readers.
@Suite struct PortalSettingsTests {
    @Test func retentionAndWeightsAreSavedCheckedAndAudited() async throws {
        try await PortalTests().withPortal { server, client in
            var admin = PortalTests.Browser(client: client)
            _ = try await admin.signIn("security-admin", PortalTests.password)
            let csrf = try await admin.csrf()
            let before = String(buffer: try await admin.send("/settings").body)
            #expect(before.contains(#"name="activitiesDays" type="number" min="1" max="3650" value="180""#))
            #expect(before.contains(#"name="alertsDays" type="number" min="1" max="3650" value="180""#))
            #expect(before.contains(#"name="governanceDays" type="number" min="1" max="3650" value="120""#))
            let form = [
                ("_csrf", csrf), ("retentionDays", "30"), ("activitiesDays", "400"), ("alertsDays", "365"),
                ("governanceDays", "60"),
                ("unknown", "penalize"), ("weight.legal", "very-high"),
            ]
            let saved = try await admin.send("/settings", .post, form: form)
            #expect(saved.status == .seeOther && saved.headers[.location] == "/settings?saved=1")
            let policy = try await RetentionPolicy.current(in: server.store)
            #expect(
                policy == RetentionPolicy(activitiesDays: 400, discoveryDays: 30, alertsDays: 365, governanceDays: 60)
            )
            let audit = try #require(try await server.store.auditEntries(before: nil, limit: 1).first?.entry)
            #expect(audit.action == "settings.change" && audit.actor == "security-admin")
            #expect(audit.detail.contains("discovery retention 90 → 30 days"))
            #expect(audit.detail.contains("activities retention 180 → 400 days"))
            #expect(audit.detail.contains("alerts retention 180 → 365 days"))
            #expect(audit.detail.contains("governance log retention 120 → 60 days"))
            #expect(audit.detail.contains("unknown values penalize") && audit.detail.contains("legal very-high"))

            // A form without the activity, alert and governance fields (an older page) keeps them.
            let partial = [
                ("_csrf", csrf), ("retentionDays", "31"), ("unknown", "penalize"), ("weight.legal", "very-high"),
            ]
            #expect(try await admin.send("/settings", .post, form: partial).status == .seeOther)
            #expect(try await RetentionPolicy.current(in: server.store).governanceDays == 60)
            #expect(try await RetentionPolicy.current(in: server.store).activitiesDays == 400)

            for (field, value) in [
                ("alertsDays", "0"), ("governanceDays", "3651"), ("retentionDays", "ten"), ("activitiesDays", "-1"),
            ] {
                var bad = form
                bad.removeAll { $0.0 == field }
                bad.append((field, value))
                #expect(try await admin.send("/settings", .post, form: bad).status == .badRequest, "\(field)")
            }
            #expect(try await RetentionPolicy.current(in: server.store).discoveryDays == 31)

            var reader = PortalTests.Browser(client: client)
            _ = try await reader.signIn("security-reader", PortalTests.password)
            let readerCSRF = try await reader.csrf()
            var readerForm = form
            readerForm[0] = ("_csrf", readerCSRF)
            #expect(try await reader.send("/settings", .post, form: readerForm).status == .forbidden)
        }
    }
}
