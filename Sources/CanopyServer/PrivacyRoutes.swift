import CanopyCore
import CanopyDiscovery
import CanopyStore
import Foundation
import Hummingbird

/// Privacy requests about one user (GDPR articles 15 and 17): `GET /api/v1/privacy/user?name=` exports everything
/// stored about them — their Cloud Discovery aggregates, their entries in snapshot reports and the activities they
/// performed —, `DELETE` erases it (reports keep their totals, without the user's line). Both are audited.
enum PrivacyRoutes {
    static let permissions: [String: Permission] = [
        "GET /api/v1/privacy/user": .managePrivacy,
        "DELETE /api/v1/privacy/user": .managePrivacy,
    ]

    struct SnapshotEntry: Encodable {
        var snapshot: Int64
        var name: String
        var usage: DiscoveryReport.UserUsage
    }

    struct Export: Encodable {
        var user: String
        var discovery: [ExportedRow]
        var snapshots: [SnapshotEntry]
        var activities: [Activity]
    }

    struct ExportedRow: Encodable {
        var day: String
        var app: String
        var sourceIP: String
        var bytesUp: Int64
        var bytesDown: Int64
        var bytesTotal: Int64
        var transactions: Int64
        var blocked: Int64
        var firstSeen: Int64
        var lastSeen: Int64
    }

    struct Erased: Encodable {
        var user: String
        var discoveryRows: Int
        var snapshots: Int
        var activities: Int
    }

    static func add(
        to api: RouterGroup<CanopyRequestContext>,
        store: any Store,
        anonymization: ServerAnonymization,
        clock: @escaping @Sendable () -> Int64
    ) {
        api.get("/privacy/user") { request, context -> Response in
            let principal = try context.require(.managePrivacy)
            let user = try name(request)
            // Stored as logged, or as a token while anonymization was on: both are this user's.
            let names = try await anonymization.storedNames(of: user)
            var stored: [DiscoveryRow] = []
            for name in names { stored += try await store.discoveryRows(user: name) }
            let rows = stored.map { r in
                ExportedRow(
                    day: DayText.text(r.day),
                    app: r.app,
                    sourceIP: r.sourceIP,
                    bytesUp: r.bytesUp,
                    bytesDown: r.bytesDown,
                    bytesTotal: r.bytesTotal,
                    transactions: r.transactions,
                    blocked: r.blocked,
                    firstSeen: r.firstSeen,
                    lastSeen: r.lastSeen
                )
            }
            var activities: [Activity] = []
            for name in names { activities += try await allActivities(of: name, in: store) }
            var entries: [SnapshotEntry] = []
            try await forEachReport(in: store) { summary, report in
                for usage in report.users where names.contains(usage.user) {
                    entries.append(SnapshotEntry(snapshot: summary.id, name: summary.name, usage: usage))
                }
            }
            try await store.appendAudit(
                AuditEntry(
                    time: clock(),
                    actor: principal.name,
                    action: "privacy.export",
                    target: user,
                    detail: "\(rows.count) aggregates, \(entries.count) report entries, \(activities.count) activities",
                    sourceIP: context.clientAddress
                )
            )
            return try Response.json(Export(user: user, discovery: rows, snapshots: entries, activities: activities))
        }
        api.delete("/privacy/user") { request, context -> Response in
            let principal = try context.require(.managePrivacy)
            let user = try name(request)
            let names = try await anonymization.storedNames(of: user)
            var deleted = 0
            for name in names { deleted += try await store.deleteDiscovery(user: name) }
            var activities = 0
            for name in names { activities += try await store.deleteActivities(user: name) }
            var rewritten = 0
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try await forEachReport(in: store) { summary, report in
                guard report.users.contains(where: { names.contains($0.user) }) else { return }
                var erased = report
                erased.users.removeAll { names.contains($0.user) }
                if try await store.replaceSnapshotReport(
                    id: summary.id,
                    digest: summary.digest,
                    report: try encoder.encode(erased)
                ) {
                    rewritten += 1
                }
            }
            try await store.appendAudit(
                AuditEntry(
                    time: clock(),
                    actor: principal.name,
                    action: "privacy.erase",
                    target: user,
                    detail:
                        "\(deleted) aggregates deleted, \(rewritten) reports rewritten, \(activities) activities deleted",
                    sourceIP: context.clientAddress
                )
            )
            return try Response.json(
                Erased(user: user, discoveryRows: deleted, snapshots: rewritten, activities: activities)
            )
        }
    }

    private static func name(_ request: Request) throws -> String {
        guard let name = request.uri.queryParameters["name"].map(String.init), !name.isEmpty, name.count <= 500 else {
            throw APIError.badRequest("name (the user name as logs carry it) is required")
        }
        return name
    }

    /// Every activity of the actor named `name`, newest first, a page at a time.
    private static func allActivities(of name: String, in store: any Store) async throws -> [Activity] {
        var out: [Activity] = []
        var before: Int64? = nil
        while true {
            let page = try await store.activities(ActivityFilter(user: name), before: before, limit: 1_000)
            out += page.map(\.activity)
            guard page.count == 1_000, let last = page.last else { return out }
            before = last.id
        }
    }

    /// Every ready snapshot's report, newest first.
    private static func forEachReport(
        in store: any Store,
        _ body: (SnapshotSummary, DiscoveryReport) async throws -> Void
    ) async throws {
        var before: Int64? = nil
        while true {
            let page = try await store.snapshots(before: before, limit: 200)
            for summary in page where summary.status == .ready {
                guard let data = try await store.snapshot(id: summary.id)?.report,
                    let report = try? JSONDecoder().decode(DiscoveryReport.self, from: data)
                else { continue }
                try await body(summary, report)
            }
            guard page.count == 200, let last = page.last else { return }
            before = last.id
        }
    }
}
