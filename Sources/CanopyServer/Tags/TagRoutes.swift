import CanopyDiscovery
import CanopyStore
import Foundation
import Hummingbird

/// `/api/v1/tags`: the tags in use with how many apps carry each, and deleting a custom tag from every app (each
/// removal audited and in the governance log, like a removal from one app).
enum TagRoutes {
    static let permissions: [String: Permission] = [
        "GET /api/v1/tags": .readDiscovery,
        "DELETE /api/v1/tags/{tag}": .manageDiscovery,
    ]

    struct TagUsage: Encodable {
        var tag: String
        var apps: Int
        /// `sanctioned` and `unsanctioned`: set on apps, never deleted as a whole.
        var builtIn: Bool
    }

    struct Deleted: Encodable {
        var tag: String
        var apps: Int
    }

    /// Every tag with its app count, built-in ones first, then by name.
    static func usage(_ store: any Store) async throws -> [TagUsage] {
        var counts: [String: Int] = [:]
        for tags in try await store.appTags().values {
            for tag in tags { counts[tag, default: 0] += 1 }
        }
        let builtIn = [DiscoverySettings.sanctioned, DiscoverySettings.unsanctioned]
        return counts.map { TagUsage(tag: $0.key, apps: $0.value, builtIn: builtIn.contains($0.key)) }
            .sorted { ($0.builtIn ? 0 : 1, $0.tag) < ($1.builtIn ? 0 : 1, $1.tag) }
    }

    /// Removes a custom tag from every app that has it; returns how many.
    static func delete(
        _ tag: String,
        store: any Store,
        by actor: String,
        from address: String?,
        now: Int64
    )
        async throws -> Int
    {
        guard TagPath.isSlug(tag, max: 50) else {
            throw APIError.badRequest("tags are lowercase letters, digits and -")
        }
        guard tag != DiscoverySettings.sanctioned, tag != DiscoverySettings.unsanctioned else {
            throw APIError.badRequest("\(tag) is built in: change it on the apps instead")
        }
        let apps = try await store.appTags().filter { $0.value.contains(tag) }.keys.sorted()
        guard !apps.isEmpty else { throw APIError(.notFound, "not-found", "no app has the tag \(tag)") }
        for app in apps {
            try await AppTagging.remove(tag, from: app, store: store, actor: actor, sourceIP: address, now: now)
        }
        return apps.count
    }

    static func add(to api: RouterGroup<CanopyRequestContext>, store: any Store, clock: @escaping @Sendable () -> Int64)
    {
        api.get("/tags") { request, context -> Response in
            _ = try context.require(.readDiscovery)
            let query = try ListQuery(request)
            let (page, next) = try query.slice(try await usage(store))
            return try query.respond(page, next: next, csvHeader: ["tag", "apps", "builtIn"]) {
                [$0.tag, String($0.apps), String($0.builtIn)]
            }
        }
        api.delete("/tags/:tag") { _, context -> Response in
            let principal = try context.require(.manageDiscovery)
            let tag = context.parameters.get("tag") ?? ""
            let count = try await delete(
                tag,
                store: store,
                by: principal.name,
                from: context.clientAddress,
                now: clock()
            )
            return try Response.json(Deleted(tag: tag, apps: count))
        }
    }
}
