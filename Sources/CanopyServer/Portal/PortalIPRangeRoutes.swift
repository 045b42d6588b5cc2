import CanopyStore
import Foundation
import Hummingbird

/// The portal's IP address ranges (listed on the settings page): add, edit and delete, through the same checks and
/// audit as the API (``IPRangeChanges``).
struct PortalIPRangeRoutes {
    let store: any Store
    let renderer: PortalRenderer
    let clock: @Sendable () -> Int64

    struct Row {
        var id: Int64
        var name: String
        var category: String
        var blocks: String
        var tags: String
        var updated: String
    }

    struct EditPage {
        var id: Int64?
        var name: String
        var blocks: String
        var tags: String
        var categories: [PortalDiscoveryRoutes.Option]
        var canManage: Bool
    }

    func add(to group: RouterGroup<CanopyRequestContext>) {
        group.post("/settings/ip-ranges") { request, context in try await save(request, context, id: nil) }
        group.get("/settings/ip-ranges/:id") { _, context in try await edit(context) }
        group.post("/settings/ip-ranges/:id") { request, context in
            try await save(request, context, id: try rangeID(context))
        }
        group.post("/settings/ip-ranges/:id/delete") { _, context in try await delete(context) }
    }

    /// The settings page's list.
    static func rows(_ store: any Store) async throws -> [Row] {
        try await store.ipRanges().map { r in
            Row(
                id: r.id,
                name: r.name,
                category: IPRangeCategory(rawValue: r.category)?.title ?? r.category,
                blocks: r.blocks.count > 6
                    ? r.blocks.prefix(6).joined(separator: ", ") + " … (\(r.blocks.count))"
                    : r.blocks.joined(separator: ", "),
                tags: r.tags.joined(separator: ", "),
                updated: "\(TimeText.text(r.updatedAt)) by \(r.updatedBy)"
            )
        }
    }

    static func categories(selected: String?) -> [PortalDiscoveryRoutes.Option] {
        IPRangeCategory.allCases.map { .init(value: $0.rawValue, title: $0.title, selected: $0.rawValue == selected) }
    }

    private func rangeID(_ context: CanopyRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id").flatMap(Int64.init) else {
            throw PortalError(.notFound, "There is no such IP range.")
        }
        return id
    }

    private func edit(_ context: CanopyRequestContext) async throws -> Response {
        try context.requirePortal(.readDiscovery)
        let id = try rangeID(context)
        guard let r = try await store.ipRanges().first(where: { $0.id == id }) else {
            throw PortalError(.notFound, "There is no such IP range.")
        }
        let page = EditPage(
            id: r.id,
            name: r.name,
            blocks: r.blocks.joined(separator: "\n"),
            tags: r.tags.joined(separator: " "),
            categories: Self.categories(selected: r.category),
            canManage: context.principal?.role.allows(.manageDiscovery) == true
        )
        return try renderer.page("iprange", title: "IP range \(r.name)", section: "settings", context: context, page)
    }

    private func save(_ request: Request, _ context: CanopyRequestContext, id: Int64?) async throws -> Response {
        let principal = try context.requirePortal(.manageDiscovery)
        var request = request
        let form = try await PortalForm.read(&request)
        let input = IPRangeInput(
            name: form["name"] ?? "",
            category: form["category"] ?? "",
            blocks: (form["blocks"] ?? "").split(whereSeparator: { $0.isNewline || $0 == "," || $0 == " " })
                .map(String.init),
            tags: (form["tags"] ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        )
        if let id {
            _ = try await IPRangeChanges.update(
                id: id,
                input,
                in: store,
                by: principal.name,
                from: context.clientAddress,
                now: clock()
            )
        } else {
            _ = try await IPRangeChanges.create(
                input,
                in: store,
                by: principal.name,
                from: context.clientAddress,
                now: clock()
            )
        }
        return Response.redirect(to: "/settings?saved=1#ip-ranges", type: .normal)
    }

    private func delete(_ context: CanopyRequestContext) async throws -> Response {
        let principal = try context.requirePortal(.manageDiscovery)
        try await IPRangeChanges.delete(
            id: try rangeID(context),
            in: store,
            by: principal.name,
            from: context.clientAddress,
            now: clock()
        )
        return Response.redirect(to: "/settings?saved=1#ip-ranges", type: .normal)
    }
}
