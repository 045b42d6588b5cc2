import CanopyStore
import Foundation
import Hummingbird

/// `/governance`: the governance log — what was done to apps (and, with connectors, files and accounts), by whom,
/// and whether it worked — with filters and older pages.
struct PortalGovernanceRoutes {
    let store: any Store
    let renderer: PortalRenderer

    struct Row {
        var time: String
        var action: String
        var target: String
        var detail: String
        var status: String
        var initiatedBy: String
        var error: String?
    }

    struct Page {
        var rows: [Row]
        var actions: [PortalDiscoveryRoutes.Option]
        var statuses: [PortalDiscoveryRoutes.Option]
        var target: String
        var next: String?
    }

    func add(to group: RouterGroup<CanopyRequestContext>) {
        group.get("/governance") { request, context in try await list(request, context) }
    }

    private func list(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        let principal = try context.requirePortal(.readGovernance)
        let filter = try GovernanceQuery.filter(request)
        let before = request.uri.queryParameters["before"].flatMap { Int64(String($0)) }
        let entries = try await GovernanceQuery.entries(store, filter, before: before, limit: 101, for: principal)
        var next: String?
        if entries.count > 100, let last = entries.prefix(100).last {
            var parts = URLComponents()
            parts.path = "/governance"
            parts.queryItems =
                [("action", filter.action), ("status", filter.status?.rawValue), ("target", filter.target)]
                .compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
                + [URLQueryItem(name: "before", value: String(last.id))]
            next = parts.string
        }
        let page = Page(
            rows: entries.prefix(100).map {
                Row(
                    time: TimeText.text($0.entry.time),
                    action: $0.entry.action,
                    target: $0.entry.target,
                    detail: $0.entry.detail,
                    status: $0.entry.status.rawValue,
                    initiatedBy: $0.entry.initiatedBy,
                    error: $0.entry.error
                )
            },
            actions: [PortalDiscoveryRoutes.Option(value: "", title: "Any action", selected: filter.action == nil)]
                + GovernanceQuery.actions.map { .init(value: $0, title: $0, selected: $0 == filter.action) },
            statuses: [PortalDiscoveryRoutes.Option(value: "", title: "Any status", selected: filter.status == nil)]
                + GovernanceEntry.Status.allCases.map {
                    .init(value: $0.rawValue, title: $0.rawValue, selected: $0 == filter.status)
                },
            target: filter.target ?? "",
            next: next
        )
        return try renderer.page("governance", title: "Governance log", section: "governance", context: context, page)
    }
}
