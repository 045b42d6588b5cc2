import CanopyCollector
import CanopyDiscovery
import CanopyStore
import Foundation
import Hummingbird

/// The portal's custom apps (beside the catalog): listed, added, edited and deleted through the same checks and
/// audit as the API (``CustomAppChanges``).
struct PortalCustomAppRoutes {
    let store: any Store
    let renderer: PortalRenderer
    let tenant: TenantCatalog
    let clock: @Sendable () -> Int64

    struct Row {
        var id: String
        var name: String
        var category: String
        var rules: String
        var score: String
        var updated: String
    }

    struct Fields {
        var id: String
        var name: String
        var vendor: String
        var domains: String
        var ipRanges: String
        var score: String
        var note: String
        var categories: [PortalDiscoveryRoutes.Option]
    }

    struct ListPage {
        var rows: [Row]
        var canManage: Bool
        var fields: Fields
    }

    struct EditPage {
        var id: String
        var canManage: Bool
        var fields: Fields
    }

    func add(to group: RouterGroup<CanopyRequestContext>) {
        group.get("/catalog/custom") { _, context in try await list(context) }
        group.post("/catalog/custom") { request, context in try await save(request, context, id: nil) }
        group.get("/catalog/custom/:id") { _, context in try await edit(context) }
        group.post("/catalog/custom/:id") { request, context in
            try await save(request, context, id: context.parameters.get("id") ?? "")
        }
        group.post("/catalog/custom/:id/delete") { _, context in try await delete(context) }
    }

    private var changes: CustomAppChanges { CustomAppChanges(store: store, catalog: tenant) }

    private func fields(_ app: CustomAppRecord?) -> Fields {
        Fields(
            id: app?.id ?? "",
            name: app?.name ?? "",
            vendor: app?.vendor ?? "",
            domains: app?.domains.joined(separator: "\n") ?? "",
            ipRanges: app?.ipRanges.joined(separator: "\n") ?? "",
            score: app?.score.map { String(format: "%g", $0) } ?? "",
            note: app?.note ?? "",
            categories: tenant.shipped.categories.map {
                .init(value: $0.id, title: $0.name, selected: $0.id == (app?.category ?? "business-management"))
            }
        )
    }

    private func list(_ context: CanopyRequestContext) async throws -> Response {
        try context.requirePortal(.readDiscovery)
        let rows = try await store.customApps().map { app in
            let rules = app.domains + app.ipRanges
            return Row(
                id: app.id,
                name: app.name,
                category: tenant.shipped.category(id: app.category)?.name ?? app.category,
                rules: rules.count > 6
                    ? rules.prefix(6).joined(separator: ", ") + " … (\(rules.count))" : rules.joined(separator: ", "),
                score: app.score.map { String(format: "%g", $0) } ?? "—",
                updated: "\(TimeText.text(app.updatedAt)) by \(app.updatedBy)"
            )
        }
        let page = ListPage(
            rows: rows,
            canManage: context.principal?.role.allows(.manageDiscovery) == true,
            fields: fields(nil)
        )
        return try renderer.page("customapps", title: "Custom apps", section: "catalog", context: context, page)
    }

    private func edit(_ context: CanopyRequestContext) async throws -> Response {
        try context.requirePortal(.readDiscovery)
        let id = context.parameters.get("id") ?? ""
        guard let app = try await store.customApps().first(where: { $0.id == id }) else {
            throw PortalError(.notFound, "There is no such custom app.")
        }
        let page = EditPage(
            id: app.id,
            canManage: context.principal?.role.allows(.manageDiscovery) == true,
            fields: fields(app)
        )
        return try renderer.page(
            "customapp",
            title: "Custom app \(app.name)",
            section: "catalog",
            context: context,
            page
        )
    }

    private func save(_ request: Request, _ context: CanopyRequestContext, id: String?) async throws -> Response {
        let principal = try context.requirePortal(.manageDiscovery)
        var request = request
        let form = try await PortalForm.read(&request)
        func list(_ key: String) -> [String] {
            (form[key] ?? "").split(whereSeparator: { $0.isNewline || $0 == "," || $0 == " " }).map(String.init)
        }
        let scoreText = (form["score"] ?? "").trimmingCharacters(in: .whitespaces)
        var score: Double?
        if !scoreText.isEmpty {
            guard let value = Double(scoreText) else {
                throw PortalError(.badRequest, "The score is a number from 0 to 10.")
            }
            score = value
        }
        let input = CustomAppInput(
            id: id ?? form["id"],
            name: form["name"] ?? "",
            vendor: form["vendor"],
            category: form["category"] ?? "",
            domains: list("domains"),
            ipRanges: list("ipRanges"),
            score: score,
            note: form["note"]
        )
        let (actor, address, now) = (principal.name, context.clientAddress, clock())
        let saved: CustomAppRecord
        if let id {
            saved = try await changes.update(id: id, input, by: actor, from: address, now: now)
        } else {
            saved = try await changes.create(input, by: actor, from: address, now: now)
        }
        return Response.redirect(to: "/catalog/custom?saved=\(saved.id)", type: .normal)
    }

    private func delete(_ context: CanopyRequestContext) async throws -> Response {
        let principal = try context.requirePortal(.manageDiscovery)
        try await changes.delete(
            id: context.parameters.get("id") ?? "",
            by: principal.name,
            from: context.clientAddress,
            now: clock()
        )
        return Response.redirect(to: "/catalog/custom", type: .normal)
    }
}
