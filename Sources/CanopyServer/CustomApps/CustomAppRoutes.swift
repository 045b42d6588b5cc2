import CanopyCollector
import CanopyStore
import Foundation
import Hummingbird

/// `/api/v1/discovery/custom-apps`: the tenant's own apps (name, vendor, category, domains, IP ranges, a fixed
/// score). Every node matches traffic parsed after a change against them (``TenantCatalog``).
enum CustomAppRoutes {
    static let permissions: [String: Permission] = [
        "GET /api/v1/discovery/custom-apps": .readDiscovery,
        "POST /api/v1/discovery/custom-apps": .manageDiscovery,
        "GET /api/v1/discovery/custom-apps/{id}": .readDiscovery,
        "PUT /api/v1/discovery/custom-apps/{id}": .manageDiscovery,
        "DELETE /api/v1/discovery/custom-apps/{id}": .manageDiscovery,
    ]

    static func add(
        to api: RouterGroup<CanopyRequestContext>,
        store: any Store,
        catalog: TenantCatalog,
        clock: @escaping @Sendable () -> Int64
    ) {
        let changes = CustomAppChanges(store: store, catalog: catalog)
        api.get("/discovery/custom-apps") { request, context -> Response in
            _ = try context.require(.readDiscovery)
            let query = try ListQuery(request)
            let category = request.uri.queryParameters["category"].map(String.init)
            let all = try await store.customApps().filter { category == nil || $0.category == category }
            let (page, next) = try query.slice(all)
            return try query.respond(page.map(CustomAppItem.init), next: next, csvHeader: CustomAppItem.csvHeader) {
                $0.csvRow
            }
        }
        api.get("/discovery/custom-apps/:id") { _, context -> Response in
            _ = try context.require(.readDiscovery)
            let id = context.parameters.get("id") ?? ""
            guard let app = try await store.customApps().first(where: { $0.id == id }) else {
                throw CustomAppChanges.notFound
            }
            return try Response.json(CustomAppItem(app))
        }
        api.post("/discovery/custom-apps") { request, context -> Response in
            let principal = try context.require(.manageDiscovery)
            let input = try await body(request, context)
            let app = try await changes.create(input, by: principal.name, from: context.clientAddress, now: clock())
            return try Response.json(CustomAppItem(app), status: .created)
        }
        api.put("/discovery/custom-apps/:id") { request, context -> Response in
            let principal = try context.require(.manageDiscovery)
            let input = try await body(request, context)
            let app = try await changes.update(
                id: context.parameters.get("id") ?? "",
                input,
                by: principal.name,
                from: context.clientAddress,
                now: clock()
            )
            return try Response.json(CustomAppItem(app))
        }
        api.delete("/discovery/custom-apps/:id") { _, context -> Response in
            let principal = try context.require(.manageDiscovery)
            try await changes.delete(
                id: context.parameters.get("id") ?? "",
                by: principal.name,
                from: context.clientAddress,
                now: clock()
            )
            return Response(status: .noContent)
        }
    }

    private static func body(_ request: Request, _ context: CanopyRequestContext) async throws -> CustomAppInput {
        do {
            return try await request.decode(as: CustomAppInput.self, context: context)
        } catch {
            throw APIError.badRequest(
                #"the body must be {"id": "acme-erp", "name": …, "category": "business-management", "#
                    + #""domains": ["erp.example.com"], "ipRanges": ["203.0.113.0/24"], "score": 0–10, "note": …}"#
            )
        }
    }
}
