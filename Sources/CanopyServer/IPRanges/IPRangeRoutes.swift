import CanopyStore
import Foundation
import Hummingbird

/// `/api/v1/ip-ranges`: the organization's IP address ranges (offices, VPN egress, cloud providers, risky networks,
/// admin workstations) with a category and tags. Discovered source IPs are shown with the range they fall in.
enum IPRangeRoutes {
    static let permissions: [String: Permission] = [
        "GET /api/v1/ip-ranges": .readDiscovery,
        "POST /api/v1/ip-ranges": .manageDiscovery,
        "PUT /api/v1/ip-ranges/{id}": .manageDiscovery,
        "DELETE /api/v1/ip-ranges/{id}": .manageDiscovery,
    ]

    static func add(
        to api: RouterGroup<CanopyRequestContext>,
        store: any Store,
        clock: @escaping @Sendable () -> Int64
    ) {
        api.get("/ip-ranges") { request, context -> Response in
            _ = try context.require(.readDiscovery)
            let query = try ListQuery(request)
            let category = request.uri.queryParameters["category"].map(String.init)
            let all = try await store.ipRanges().filter { category == nil || $0.category == category }
            let (page, next) = try query.slice(all)
            return try query.respond(page.map(IPRangeItem.init), next: next, csvHeader: IPRangeItem.csvHeader) {
                $0.csvRow
            }
        }
        api.post("/ip-ranges") { request, context -> Response in
            let principal = try context.require(.manageDiscovery)
            let input = try await body(request, context)
            let result = try await IPRangeChanges.create(
                input,
                in: store,
                by: principal.name,
                from: context.clientAddress,
                now: clock()
            )
            return try Response.json(IPRangeItem(result), status: .created)
        }
        api.put("/ip-ranges/:id") { request, context -> Response in
            let principal = try context.require(.manageDiscovery)
            let id = try rangeID(context)
            let input = try await body(request, context)
            let result = try await IPRangeChanges.update(
                id: id,
                input,
                in: store,
                by: principal.name,
                from: context.clientAddress,
                now: clock()
            )
            return try Response.json(IPRangeItem(result))
        }
        api.delete("/ip-ranges/:id") { _, context -> Response in
            let principal = try context.require(.manageDiscovery)
            try await IPRangeChanges.delete(
                id: try rangeID(context),
                in: store,
                by: principal.name,
                from: context.clientAddress,
                now: clock()
            )
            return Response(status: .noContent)
        }
    }

    private static func rangeID(_ context: CanopyRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id").flatMap(Int64.init) else {
            throw APIError(.notFound, "not-found", "there is no such IP range")
        }
        return id
    }

    private static func body(_ request: Request, _ context: CanopyRequestContext) async throws -> IPRangeInput {
        do {
            return try await request.decode(as: IPRangeInput.self, context: context)
        } catch {
            throw APIError.badRequest(
                #"the body must be {"name": …, "category": "corporate|administrative|risky|vpn|cloud-provider", "#
                    + #""blocks": ["10.0.0.0/8", …], "tags": […]}"#
            )
        }
    }
}

/// Creating, changing and deleting IP ranges, checked and audited: shared by the API and the portal.
enum IPRangeChanges {
    static func create(
        _ input: IPRangeInput,
        in store: any Store,
        by actor: String,
        from address: String?,
        now: Int64
    ) async throws -> IPRangeRecord {
        let checked = try checkOrRefuse(input)
        var record = IPRangeRecord(
            name: checked.name,
            category: checked.category.rawValue,
            blocks: checked.blocks,
            tags: checked.tags,
            createdBy: actor,
            createdAt: now
        )
        switch try await store.createIPRange(record) {
        case .written(let id): record.id = id
        case .nameTaken, .notFound: throw APIError(.conflict, "conflict", "an IP range named \(checked.name) exists")
        }
        try await audit(store, actor, address, now, "ip_range.create", record)
        return record
    }

    static func update(
        id: Int64,
        _ input: IPRangeInput,
        in store: any Store,
        by actor: String,
        from address: String?,
        now: Int64
    ) async throws -> IPRangeRecord {
        let checked = try checkOrRefuse(input)
        guard var record = try await store.ipRanges().first(where: { $0.id == id }) else {
            throw APIError(.notFound, "not-found", "there is no such IP range")
        }
        (record.name, record.category, record.blocks, record.tags) = (
            checked.name, checked.category.rawValue, checked.blocks, checked.tags
        )
        (record.updatedBy, record.updatedAt) = (actor, now)
        switch try await store.updateIPRange(record) {
        case .written: break
        case .nameTaken: throw APIError(.conflict, "conflict", "an IP range named \(checked.name) exists")
        case .notFound: throw APIError(.notFound, "not-found", "there is no such IP range")
        }
        try await audit(store, actor, address, now, "ip_range.update", record)
        return record
    }

    static func delete(id: Int64, in store: any Store, by actor: String, from address: String?, now: Int64) async throws
    {
        guard let record = try await store.ipRanges().first(where: { $0.id == id }),
            try await store.deleteIPRange(id: id)
        else { throw APIError(.notFound, "not-found", "there is no such IP range") }
        try await audit(store, actor, address, now, "ip_range.delete", record)
    }

    private static func checkOrRefuse(
        _ input: IPRangeInput
    ) throws -> (
        name: String, category: IPRangeCategory, blocks: [String], tags: [String]
    ) {
        do {
            return try IPRangeValidation.check(input)
        } catch {
            throw APIError.badRequest(error.reason)
        }
    }

    private static func audit(
        _ store: any Store,
        _ actor: String,
        _ address: String?,
        _ now: Int64,
        _ action: String,
        _ r: IPRangeRecord
    ) async throws {
        let blocks =
            r.blocks.count > 10 ? r.blocks.prefix(10).joined(separator: ", ") + " …" : r.blocks.joined(separator: ", ")
        try await store.appendAudit(
            AuditEntry(
                time: now,
                actor: actor,
                action: action,
                target: "IP range \(r.name)",
                detail: action == "ip_range.delete"
                    ? "deleted"
                    : "category \(r.category); \(r.blocks.count) blocks: \(blocks); tags: \(r.tags.joined(separator: ", "))",
                sourceIP: address
            )
        )
    }
}

/// One IP range in the API.
struct IPRangeItem: Encodable {
    var id: Int64
    var name: String
    var category: String
    var blocks: [String]
    var tags: [String]
    var createdBy: String
    var createdAt: Int64
    var updatedBy: String
    var updatedAt: Int64

    init(_ r: IPRangeRecord) {
        (id, name, category, blocks, tags) = (r.id, r.name, r.category, r.blocks, r.tags)
        (createdBy, createdAt, updatedBy, updatedAt) = (r.createdBy, r.createdAt, r.updatedBy, r.updatedAt)
    }

    static let csvHeader = [
        "id", "name", "category", "blocks", "tags", "createdBy", "createdAt", "updatedBy", "updatedAt",
    ]

    var csvRow: [String] {
        [
            String(id), name, category, blocks.joined(separator: " "), tags.joined(separator: " "), createdBy,
            String(createdAt), updatedBy, String(updatedAt),
        ]
    }
}
