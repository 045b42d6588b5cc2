import CanopyStore
import Hummingbird

/// `GET /api/v1/governance`: the governance log, newest first, filtered by kind, action, status, target and dates.
enum GovernanceRoutes {
    static let permissions: [String: Permission] = [
        "GET /api/v1/governance": .readGovernance
    ]

    static func add(to api: RouterGroup<CanopyRequestContext>, store: any Store) {
        api.get("/governance") { request, context -> Response in
            let principal = try context.require(.readGovernance)
            let query = try ListQuery(request)
            let filter = try GovernanceQuery.filter(request)
            let page = try await GovernanceQuery.entries(
                store,
                filter,
                before: try query.beforeID(),
                limit: query.limit + 1,
                for: principal
            )
            let items = page.prefix(query.limit).map(GovernanceItem.init)
            let next = page.count > query.limit ? items.last.map { ListQuery.cursor(beforeID: $0.id) } : nil
            return try query.respond(Array(items), next: next, csvHeader: GovernanceItem.csvHeader) { $0.csvRow }
        }
    }
}
