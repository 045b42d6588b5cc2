import CanopyCollector
import CanopyCore
import CanopyDiscovery
import CanopyStore
import Foundation
import Hummingbird

/// `/discovery/snapshots`: upload logs for a snapshot report (with a progress bar), the list of reports, and one
/// report — its tiles, apps (taggable), users, IPs, and what happened to every line (parse statistics).
struct PortalSnapshotRoutes {
    let store: any Store
    let renderer: PortalRenderer
    let intake: SnapshotIntake
    let formats: [String]
    let clock: @Sendable () -> Int64

    /// Paths whose `multipart/form-data` posts carry their CSRF token as the form's first field (checked by the
    /// upload itself, before any file byte is written) rather than in a header.
    static let multipartPaths: Set<String> = ["/discovery/snapshots"]

    func add(to group: RouterGroup<CanopyRequestContext>) {
        group.get("/discovery/upload") { _, _ in Response.redirect(to: "/discovery/snapshots", type: .normal) }
        group.get("/discovery/snapshots") { request, context in try await list(request, context) }
        group.post("/discovery/snapshots") { request, context in try await upload(request, context) }
        group.get("/discovery/snapshots/:id") { request, context in try await show(request, context) }
        group.post("/discovery/snapshots/:id/delete") { request, context in try await delete(request, context) }
    }

    // MARK: List and upload

    struct Row {
        var id: Int64
        var name: String
        var created: String
        var createdBy: String
        var status: String
        var format: String
        var files: Int
        var size: String
        var records: String
        var rejected: String
        var apps: String
        var error: String?
    }

    struct ListPage {
        var rows: [Row]
        var canUpload: Bool
        var formats: [String]
        var maxFiles: Int
        var csrf: String
        var olderCursor: Int64?
    }

    private func list(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        let principal = try context.requirePortal(.readDiscovery)
        let before = request.uri.queryParameters["before"].flatMap { Int64(String($0)) }
        let page = try await store.snapshots(before: before, limit: 51)
        let rows = page.prefix(50).map { s -> Row in
            let item = SnapshotItem(s)
            return Row(
                id: s.id,
                name: s.name,
                created: TimeText.text(s.createdAt),
                createdBy: s.createdBy,
                status: s.status.rawValue,
                format: s.format ?? "detected",
                files: s.files,
                size: Quantity.bytes(s.inputBytes),
                records: item.digest.map { Quantity.count(Int64($0.records)) } ?? "—",
                rejected: item.digest.map { Quantity.count(Int64($0.rejected)) } ?? "—",
                apps: item.digest.map { String($0.apps) } ?? "—",
                error: s.error
            )
        }
        return try renderer.page(
            "snapshots",
            title: "Snapshot reports",
            section: "snapshots",
            context: context,
            ListPage(
                rows: Array(rows),
                canUpload: principal.role.allows(.manageDiscovery),
                formats: formats,
                maxFiles: intake.limits.files,
                csrf: context.session?.csrfToken ?? "",
                olderCursor: page.count > 50 ? rows.last?.id : nil
            )
        )
    }

    private func upload(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        let principal = try context.requirePortal(.manageDiscovery)
        // With the script, the token came in the X-CSRF-Token header (checked already); a plain form carries it
        // as its first field.
        let tokenInForm = request.headers[.canopyCSRFToken] == nil ? context.session?.csrfToken : nil
        let summary: SnapshotSummary
        do {
            summary = try await intake.accept(
                request,
                asked: SnapshotIntake.Request(),
                by: principal.name,
                from: context.clientAddress,
                csrfToken: tokenInForm
            )
        } catch let error as UploadError {
            switch error.kind {
            case .forbidden: throw PortalError.csrf
            case .tooLarge, .tooManyFiles: throw PortalError(.contentTooLarge, "The upload was refused: \(error).")
            case .malformed: throw PortalError(.badRequest, "The upload was refused: \(error).")
            case .storage: throw PortalError(.internalServerError, "The upload could not be stored.")
            }
        }
        return Response.redirect(to: "/discovery/snapshots/\(summary.id)", type: .normal)
    }

    // MARK: One report

    struct Tile {
        var label: String
        var value: String
    }

    /// The apps table is the discovered-apps one, without `lastSeen` (a snapshot has no "last").
    typealias AppRow = PortalDiscoveryRoutes.AppRow

    struct EntityRow {
        var key: String
        var traffic: String
        var apps: Int
    }

    struct SourceRow {
        var name: String
        var parser: String
        var confidence: String
        var lines: String
        var records: String
        var ignored: String
        var rejected: String
    }

    struct ReasonRow {
        var kind: String
        var reason: String
        var count: String
        var firstLines: String
    }

    struct ReportPage {
        var id: Int64
        var name: String
        var status: String
        var processing: Bool
        var error: String?
        var created: String
        var createdBy: String
        var format: String
        var files: Int
        var size: String
        var tiles: [Tile]
        var apps: [AppRow]
        var users: [EntityRow]
        var ips: [EntityRow]
        var sources: [SourceRow]
        var reasons: [ReasonRow]
        var failures: [DiscoveryRunnerFailureRow]
        var canManage: Bool
        var csrf: String
        var back: String
        var hasReport: Bool
        var hasFailures = false
        var hasReasons = false
    }

    struct DiscoveryRunnerFailureRow {
        var source: String
        var reason: String
    }

    private func show(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        let principal = try context.requirePortal(.readDiscovery)
        guard let text = context.parameters.get("id"), let id = Int64(text),
            let record = try await store.snapshot(id: id)
        else { throw PortalError(.notFound, "There is no such snapshot report.") }
        let s = record.summary
        let report = record.report.flatMap { try? JSONDecoder().decode(DiscoveryReport.self, from: $0) }
        let digest = SnapshotItem(s).digest
        let tags = try await store.appTags()
        var page = ReportPage(
            id: id,
            name: s.name,
            status: s.status.rawValue,
            processing: s.status == .processing,
            error: s.error,
            created: TimeText.text(s.createdAt),
            createdBy: s.createdBy,
            format: s.format ?? "detected",
            files: s.files,
            size: Quantity.bytes(s.inputBytes),
            tiles: [],
            apps: [],
            users: [],
            ips: [],
            sources: [],
            reasons: [],
            failures: (digest?.failures ?? []).map { DiscoveryRunnerFailureRow(source: $0.source, reason: $0.reason) },
            canManage: principal.role.allows(.manageDiscovery),
            csrf: context.session?.csrfToken ?? "",
            back: "/discovery/snapshots/\(id)",
            hasReport: report != nil
        )
        if let report {
            page.tiles = [
                Tile(label: "Discovered apps", value: Quantity.count(Int64(report.totals.apps))),
                Tile(label: "Users", value: Quantity.count(Int64(report.totals.users))),
                Tile(label: "IP addresses", value: Quantity.count(Int64(report.totals.sourceIPs))),
                Tile(label: "Traffic", value: Quantity.bytes(report.totals.bytesTotal)),
                Tile(label: "Uploaded", value: Quantity.bytes(report.totals.bytesUp)),
                Tile(label: "Transactions", value: Quantity.count(report.totals.transactions)),
                Tile(label: "Lines read", value: Quantity.count(Int64(report.statistics.lines))),
                Tile(label: "Rejected lines", value: Quantity.count(Int64(report.statistics.rejectedCount))),
            ]
            page.apps = report.apps.map { app in
                AppRow(
                    id: app.id,
                    name: app.name,
                    category: app.categoryName,
                    score: ScoreText.text(app.score),
                    level: app.level.rawValue,
                    tags: (tags[app.id] ?? []).sorted(),
                    traffic: Quantity.bytes(app.traffic.bytesTotal),
                    uploaded: Quantity.bytes(app.traffic.bytesUp),
                    transactions: Quantity.count(app.traffic.transactions),
                    users: app.users,
                    ips: app.sourceIPs,
                    lastSeen: ""
                )
            }
            page.users = report.users.prefix(20).map {
                EntityRow(key: $0.user, traffic: Quantity.bytes($0.traffic.bytesTotal), apps: $0.apps)
            }
            page.ips = report.sourceIPs.prefix(20).map {
                EntityRow(key: $0.ip, traffic: Quantity.bytes($0.traffic.bytesTotal), apps: $0.apps)
            }
            page.sources = report.sources.map { source in
                SourceRow(
                    name: source.name,
                    parser: source.parser,
                    confidence: String(Int((source.confidence * 100).rounded())) + "%",
                    lines: Quantity.count(Int64(source.statistics.lines)),
                    records: Quantity.count(Int64(source.statistics.records)),
                    ignored: Quantity.count(Int64(source.statistics.ignoredCount)),
                    rejected: Quantity.count(Int64(source.statistics.rejectedCount))
                )
            }
            page.reasons = Self.reasons(report.statistics)
        }
        // Templates see stored properties only.
        page.hasFailures = !page.failures.isEmpty
        page.hasReasons = !page.reasons.isEmpty
        return try renderer.page(
            "snapshot",
            title: "Snapshot: \(s.name)",
            section: "snapshots",
            context: context,
            refresh: page.processing ? 2 : nil,
            page
        )
    }

    static func reasons(_ statistics: ParseStatistics) -> [ReasonRow] {
        func rows(_ kind: String, _ map: [ReasonCode: ParseStatistics.Tally]) -> [ReasonRow] {
            map.sorted { $0.value.count > $1.value.count }.map { reason, tally in
                ReasonRow(
                    kind: kind,
                    reason: reason.rawValue,
                    count: Quantity.count(Int64(tally.count)),
                    firstLines: tally.firstLines.map { "\($0.source):\($0.line)" }.joined(separator: ", ")
                )
            }
        }
        return rows("rejected", statistics.rejected) + rows("ignored", statistics.ignored)
    }

    private func delete(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        let principal = try context.requirePortal(.manageDiscovery)
        guard let text = context.parameters.get("id"), let id = Int64(text),
            let record = try await store.snapshot(id: id)
        else { throw PortalError(.notFound, "There is no such snapshot report.") }
        guard record.summary.status != .processing else {
            throw PortalError(.conflict, "The snapshot is still being processed; delete it when it is done.")
        }
        try await SnapshotIntake.delete(
            record.summary,
            in: store,
            by: principal.name,
            from: context.clientAddress,
            now: clock()
        )
        return Response.redirect(to: "/discovery/snapshots", type: .normal)
    }
}
