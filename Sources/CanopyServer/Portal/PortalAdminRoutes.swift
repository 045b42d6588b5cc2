import CanopyCollector
import CanopyCore
import CanopyDiscovery
import CanopyStore
import Foundation
import Hummingbird

/// The operations pages: data sources and their health, settings (retention, how unknown risk values count, group
/// weights), admins and roles, and the audit log.
struct PortalAdminRoutes {
    let store: any Store
    let renderer: PortalRenderer
    let clock: @Sendable () -> Int64
    let anonymization: ServerAnonymization

    func add(to group: RouterGroup<CanopyRequestContext>) {
        group.get("/audit") { request, context in try await audit(request, context) }
        group.get("/datasources") { _, context in try await dataSources(context) }
        group.get("/settings") { request, context in try await settings(request, context) }
        group.post("/settings") { request, context in try await saveSettings(request, context) }
        group.post("/settings/deanonymize") { request, context in try await deanonymize(request, context) }
        group.post("/settings/tags/:tag/delete") { _, context in try await deleteTag(context) }
        group.get("/admins") { request, context in try await admins(request, context) }
        group.post("/admins") { request, context in try await changeAdmins(request, context) }
        group.post("/admins/access") { request, context in try await saveAccess(request, context) }
    }

    // MARK: Audit log

    struct AuditRow {
        var time: String
        var actor: String
        var action: String
        var target: String
        var detail: String
        var sourceIP: String
    }

    struct AuditPage {
        var rows: [AuditRow]
        var next: String?
    }

    private func audit(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        try context.requirePortal(.readAudit)
        let before = request.uri.queryParameters["before"].flatMap { Int64(String($0)) }
        let entries = try await store.auditEntries(before: before, limit: 101)
        let page = AuditPage(
            rows: entries.prefix(100).map {
                AuditRow(
                    time: TimeText.text($0.entry.time),
                    actor: $0.entry.actor,
                    action: $0.entry.action,
                    target: $0.entry.target,
                    detail: $0.entry.detail,
                    sourceIP: $0.entry.sourceIP ?? ""
                )
            },
            next: entries.count > 100 ? entries.prefix(100).last.map { "/audit?before=\($0.id)" } : nil
        )
        return try renderer.page("audit", title: "Audit log", section: "audit", context: context, page)
    }

    // MARK: Data sources

    struct SourceRow {
        var id: Int64
        var name: String
        var format: String
        var listener: String
        var status: String
        var lines: String
        var records: String
        var rejected: String
        var lastReceived: String
        var error: String?
    }

    struct SourcesPage {
        var rows: [SourceRow]
    }

    private func dataSources(_ context: CanopyRequestContext) async throws -> Response {
        try context.requirePortal(.readDiscovery)
        let intakes = try await store.intakes()
        let now = clock()
        var rows: [SourceRow] = []
        for source in try await store.dataSources() {
            let intake = intakes[source.id] ?? DataSourceIntake()
            let health = DataSourceHealth(source: source, intake: intake, now: now)
            rows.append(
                SourceRow(
                    id: source.id,
                    name: source.name,
                    format: source.format,
                    listener: source.port.map { "\(source.transport.rawValue) port \($0)" }
                        ?? "folder \(source.path ?? "")",
                    status: health.status.rawValue,
                    lines: Quantity.count(intake.lines),
                    records: Quantity.count(intake.records),
                    rejected: Quantity.count(intake.rejected),
                    lastReceived: intake.lastReceivedAt.map(TimeText.text) ?? "never",
                    error: try await store.setting("datasource.error.\(source.id)")
                )
            )
        }
        return try renderer.page(
            "datasources",
            title: "Data sources",
            section: "datasources",
            context: context,
            SourcesPage(rows: rows)
        )
    }

    // MARK: Settings

    struct WeightRow {
        var group: String
        var title: String
        var options: [PortalDiscoveryRoutes.Option]
    }

    struct SettingsPage {
        var retentionDays: Int
        var activitiesDays: Int
        var alertsDays: Int
        var governanceDays: Int
        var penalize: Bool
        var weights: [WeightRow]
        var canManage: Bool
        var saved: Bool
        var anonymize: Bool
        var canResolve: Bool
        var tags: [TagRoutes.TagUsage]
        var ipRanges: [PortalIPRangeRoutes.Row]
        var newRange: PortalIPRangeRoutes.EditPage
    }

    private func settings(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        try context.requirePortal(.readDiscovery)
        let retention = try await RetentionPolicy.current(in: store)
        let scoring = try await Self.scoring(store)
        let page = SettingsPage(
            retentionDays: retention.discoveryDays,
            activitiesDays: retention.activitiesDays,
            alertsDays: retention.alertsDays,
            governanceDays: retention.governanceDays,
            penalize: scoring.unknownValues == .penalize,
            weights: RiskGroup.allCases.map { group in
                WeightRow(
                    group: group.rawValue,
                    title: group.rawValue.capitalized,
                    options: RiskWeight.allCases.map {
                        .init(value: $0.rawValue, title: $0.rawValue, selected: scoring.weight(of: group) == $0)
                    }
                )
            },
            canManage: context.principal?.role.allows(.manageDiscovery) == true,
            saved: request.uri.queryParameters["saved"] != nil,
            anonymize: try await anonymization.isEnabled(),
            canResolve: context.principal?.role.allows(.managePrivacy) == true,
            tags: try await TagRoutes.usage(store),
            ipRanges: try await PortalIPRangeRoutes.rows(store),
            newRange: PortalIPRangeRoutes.EditPage(
                id: nil,
                name: "",
                blocks: "",
                tags: "",
                categories: PortalIPRangeRoutes.categories(selected: IPRangeCategory.corporate.rawValue),
                canManage: context.principal?.role.allows(.manageDiscovery) == true
            )
        )
        return try renderer.page("settings", title: "Settings", section: "settings", context: context, page)
    }

    static func scoring(_ store: any Store) async throws -> ScoringSettings {
        guard let json = try await store.setting(PortalCatalog.scoringKey) else { return ScoringSettings() }
        return (try? JSONDecoder().decode(ScoringSettings.self, from: Data(json.utf8))) ?? ScoringSettings()
    }

    private func saveSettings(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        let principal = try context.requirePortal(.manageDiscovery)
        var request = request
        let form = try await PortalForm.read(&request)
        let retention = try await RetentionPolicy.current(in: store)
        func days(_ field: String, _ current: Int) throws -> Int {
            guard let text = form[field] else { return current }  // A form without the field keeps the value.
            guard let days = Int(text), (1...3_650).contains(days) else {
                throw PortalError(.badRequest, "Retention is a whole number of days from 1 to 3,650.")
            }
            return days
        }
        let retained = [
            (
                "discovery", RetentionPolicy.discoveryKey, retention.discoveryDays,
                try days("retentionDays", retention.discoveryDays)
            ),
            (
                "activities", RetentionPolicy.activitiesKey, retention.activitiesDays,
                try days("activitiesDays", retention.activitiesDays)
            ),
            ("alerts", RetentionPolicy.alertsKey, retention.alertsDays, try days("alertsDays", retention.alertsDays)),
            (
                "governance log", RetentionPolicy.governanceKey, retention.governanceDays,
                try days("governanceDays", retention.governanceDays)
            ),
        ]
        var scoring = try await Self.scoring(store)
        let before = scoring
        scoring.unknownValues = form["unknown"] == "penalize" ? .penalize : .ignore
        for group in RiskGroup.allCases {
            if let value = form["weight." + group.rawValue] {
                guard let weight = RiskWeight(rawValue: value) else {
                    throw PortalError(.badRequest, "Unknown weight \(value).")
                }
                scoring.groupWeights[group] = weight
            }
        }
        try await anonymization.set(
            enabled: form["anonymize"] == "on",
            by: principal.name,
            from: context.clientAddress,
            now: clock()
        )
        var changes: [String] = []
        for (name, key, old, new) in retained where old != new {
            try await store.setSetting(key, to: String(new))
            changes.append("\(name) retention \(old) → \(new) days")
        }
        if scoring != before {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            try await store.setSetting(
                PortalCatalog.scoringKey,
                to: String(decoding: try encoder.encode(scoring), as: UTF8.self)
            )
            changes.append(
                "risk scoring: unknown values \(scoring.unknownValues.rawValue), group weights "
                    + RiskGroup.allCases.map { "\($0.rawValue) \(scoring.weight(of: $0).rawValue)" }.joined(
                        separator: ", "
                    )
            )
        }
        if !changes.isEmpty {
            try await store.appendAudit(
                AuditEntry(
                    time: clock(),
                    actor: principal.name,
                    action: "settings.change",
                    target: "settings",
                    detail: changes.joined(separator: "; "),
                    sourceIP: context.clientAddress
                )
            )
        }
        return Response.redirect(to: "/settings?saved=1", type: .normal)
    }

    private func deleteTag(_ context: CanopyRequestContext) async throws -> Response {
        let principal = try context.requirePortal(.manageDiscovery)
        _ = try await TagRoutes.delete(
            context.parameters.get("tag") ?? "",
            store: store,
            by: principal.name,
            from: context.clientAddress,
            now: clock()
        )
        return Response.redirect(to: "/settings?saved=1#tags", type: .normal)
    }

    struct ResolvedPage {
        var token: String
        var name: String
    }

    private func deanonymize(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        let principal = try context.requirePortal(.managePrivacy)
        var request = request
        let form = try await PortalForm.read(&request)
        let token = (form["token"] ?? "").trimmingCharacters(in: .whitespaces)
        let name = try await anonymization.resolve(
            token,
            justification: form["justification"] ?? "",
            by: principal.name,
            from: context.clientAddress,
            now: clock()
        )
        return try renderer.page(
            "deanonymized",
            title: "Resolved name",
            section: "settings",
            context: context,
            ResolvedPage(token: token, name: name)
        )
    }

    // MARK: Admins

    struct AdminRow {
        var name: String
        var role: String
        var roleTitle: String
        var apps: String
        var mustChange: Bool
        var created: String
        var isSelf: Bool
        var roles: [PortalDiscoveryRoutes.Option]
    }

    struct AdminsPage {
        var rows: [AdminRow]
        var roles: [PortalDiscoveryRoutes.Option]
        var created: String?
        var createdPassword: String?
        var notice: String?
        /// The admin access ranges, one a line (empty: from anywhere).
        var accessRanges: String
        var clientAddress: String
    }

    private func admins(
        _ request: Request,
        _ context: CanopyRequestContext,
        created: (String, String)? = nil
    ) async throws -> Response {
        let principal = try context.requirePortal(.manageAdmins)
        var rows: [AdminRow] = []
        for admin in try await store.admins() {
            let apps = try await store.adminApps(named: admin.name)
            rows.append(
                AdminRow(
                    name: admin.name,
                    role: admin.role,
                    roleTitle: Role(rawValue: admin.role)?.title ?? admin.role,
                    apps: apps.joined(separator: ", "),
                    mustChange: admin.mustChangePassword,
                    created: TimeText.text(admin.createdAt),
                    isSelf: admin.name == principal.name,
                    roles: Role.allCases.map {
                        .init(value: $0.rawValue, title: $0.title, selected: $0.rawValue == admin.role)
                    }
                )
            )
        }
        let page = AdminsPage(
            rows: rows,
            roles: Role.allCases.map { .init(value: $0.rawValue, title: $0.title, selected: $0 == .securityReader) },
            created: created?.0,
            createdPassword: created?.1,
            notice: request.uri.queryParameters["done"].map { String($0) },
            accessRanges: try await AdminAccess.ranges(in: store).map(\.description).joined(separator: "\n"),
            clientAddress: context.clientAddress ?? "unknown"
        )
        return try renderer.page("admins", title: "Admins", section: "admins", context: context, page)
    }

    private func saveAccess(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        let principal = try context.requirePortal(.manageAdmins)
        var request = request
        let form = try await PortalForm.read(&request)
        _ = try await AdminAccess.set(
            Self.apps(form["ranges"]),
            in: store,
            by: principal.name,
            from: context.clientAddress,
            now: clock()
        )
        return Response.redirect(to: "/admins?done=admin+access+saved", type: .normal)
    }

    /// App ids as typed: separated by commas, spaces or new lines.
    static func apps(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0.isNewline }).map(String.init)
    }

    private func changeAdmins(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        let principal = try context.requirePortal(.manageAdmins)
        var request = request
        let form = try await PortalForm.read(&request)
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let (actor, address, now) = (principal.name, context.clientAddress, clock())
        switch form["action"] {
        case "create":
            let created = try await AdminChanges.create(
                name: name,
                role: form["role"] ?? "",
                apps: Self.apps(form["apps"]),
                in: store,
                by: actor,
                from: address,
                now: now
            )
            // The one-time password is shown once, on this response only.
            return try await admins(request, context, created: (created.admin.name, created.password))
        case "role":
            let before = try await store.admin(named: name)?.role
            let account = try await AdminChanges.changeRole(
                of: name,
                to: form["role"] ?? "",
                apps: Self.apps(form["apps"]),
                in: store,
                by: actor,
                from: address,
                now: now
            )
            return Response.redirect(
                to: before == account.role ? "/admins" : "/admins?done=role+changed",
                type: .normal
            )
        case "delete":
            try await AdminChanges.delete(name, in: store, by: actor, from: address, now: now)
            return Response.redirect(to: "/admins?done=admin+deleted", type: .normal)
        default:
            throw PortalError(.badRequest, "Unknown action.")
        }
    }
}
