import CanopyCollector
import CanopyDiscovery
import CanopyStore
import Foundation
import HTTPTypes
import Hummingbird

/// Read routes of Cloud Discovery beyond apps: users and source IPs over a day range, the block list of unsanctioned
/// apps for an appliance, and the app catalog (search, and one app with its score explained).
enum DiscoveryReadRoutes {
    static let permissions: [String: Permission] = [
        "GET /api/v1/discovery/users": .readDiscovery,
        "GET /api/v1/discovery/ips": .readDiscovery,
        "GET /api/v1/discovery/blocklist": .readDiscovery,
        "GET /api/v1/catalog/apps": .readApps,
        "GET /api/v1/catalog/apps/{app}": .readApps,
    ]

    static func add(
        to api: RouterGroup<CanopyRequestContext>,
        store: any Store,
        catalog tenant: TenantCatalog,
        clock: @escaping @Sendable () -> Int64
    ) {
        api.get("/discovery/users") { request, context -> Response in
            try await entities(request, context, store: store, clock: clock, users: true)
        }
        api.get("/discovery/ips") { request, context -> Response in
            try await entities(request, context, store: store, clock: clock, users: false)
        }
        api.get("/discovery/blocklist") { request, context -> Response in
            let principal = try context.require(.readDiscovery)
            let format = String(request.uri.queryParameters["format"] ?? "squid")
            let catalog = try await tenant.portal(store)
            let response = try await Blocklist.response(
                format: format,
                store: store,
                catalog: catalog,
                by: principal.name,
                now: clock()
            )
            if let response { return response }
            throw APIError.badRequest("format must be one of \(Blocklist.formats)")
        }
        api.get("/catalog/apps") { request, context -> Response in
            _ = try context.require(.readApps)
            let query = try ListQuery(request)
            let q = String(request.uri.queryParameters["q"] ?? "").trimmingCharacters(in: .whitespaces)
            let category = request.uri.queryParameters["category"].map(String.init)
            let catalog = try await tenant.portal(store)
            let scorer = try await catalog.scorer(store: store, now: clock())
            let all = catalog.catalog.search(q, limit: catalog.catalog.apps.count)
                .filter { category == nil || $0.category == category }
            let (page, next) = try query.slice(all)
            let items = page.map { app in
                let explanation = scorer.explain(appID: app.id)
                return CatalogItem(
                    id: app.id,
                    name: app.name,
                    vendor: app.vendor,
                    category: app.category,
                    score: explanation.score,
                    level: explanation.level.rawValue,
                    domains: app.domains
                )
            }
            return try query.respond(items, next: next, csvHeader: CatalogItem.csvHeader) { $0.csvRow }
        }
        api.get("/catalog/apps/:app") { _, context -> Response in
            _ = try context.require(.readApps)
            let catalog = try await tenant.portal(store)
            guard let id = context.parameters.get("app"), let app = catalog.catalog.app(id: id) else {
                throw APIError(.notFound, "not-found", "there is no such app in the catalog")
            }
            let scorer = try await catalog.scorer(store: store, now: clock())
            let tags = try await store.appTags()[id].map { $0.sorted() } ?? []
            return try Response.json(CatalogAppDetail(app: app, tags: tags, risk: scorer.explain(appID: id)))
        }
    }

    private static func entities(
        _ request: Request,
        _ context: CanopyRequestContext,
        store: any Store,
        clock: @Sendable () -> Int64,
        users: Bool
    ) async throws -> Response {
        _ = try context.require(.readDiscovery)
        let query = try ListQuery(request)
        let days = try DayRange(request, today: Int32(clock() / 86_400_000))
        let app = request.uri.queryParameters["app"].map(String.init)
        if let app, !TagPath.isSlug(app, max: 100) { throw APIError.badRequest("app is a catalog app id") }
        let category = request.uri.queryParameters["category"].map(String.init)
        if let category, users || (IPRangeCategory(rawValue: category) == nil && category != "none") {
            throw APIError.badRequest(
                "category filters IPs by range category: "
                    + (IPRangeCategory.allCases.map(\.rawValue) + ["none"]).joined(separator: ", ")
            )
        }
        let source = try await ContinuousReports.dataSource(request, store: store)
        let ranges = users ? IPRangeTable([]) : IPRangeTable(try await store.ipRanges())
        let all =
            users
            ? try await store.discoveryByUser(days: days.range, dataSource: source, app: app, limit: nil).map {
                DiscoveredEntity($0, users: true, range: nil)
            }
            : try await store.discoveryByIP(days: days.range, dataSource: source, app: app, limit: nil).map {
                DiscoveredEntity($0, users: false, range: ranges.range(of: $0.key))
            }
            .filter { category == nil || ($0.ipRange?.category ?? "none") == category }
        let (items, next) = try query.slice(all)
        let header = DiscoveredEntity.csvHeader(users: users)
        return try query.respond(items, next: next, csvHeader: header) { $0.csvRow }
    }
}

/// The block list of unsanctioned apps in one appliance's format, as a download.
enum Blocklist {
    /// The formats, comma-separated, for error messages.
    static let formats = BuiltinBlocklists.all.map { $0.descriptor.id }.joined(separator: ", ")

    /// The list as a `text/plain` attachment, or nil for an unknown format. Generating one is a governance action
    /// (the reference product logs its block scripts): recorded with who asked.
    static func response(
        format: String,
        store: any Store,
        catalog: PortalCatalog,
        by actor: String,
        now: Int64
    ) async throws
        -> Response?
    {
        guard let generator = BuiltinBlocklists.named(format) else { return nil }
        let tags = try await store.appTags()
        let entries = tags.filter { $0.value.contains(DiscoverySettings.unsanctioned) }.keys.sorted()
            .compactMap { catalog.catalog.app(id: $0) }.map(BlocklistEntry.init(app:))
        let text = generator.render(
            entries,
            context: BlocklistContext(
                generatedAt: ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(now) / 1_000))
            )
        )
        let domains = entries.reduce(0) { $0 + $1.domains.count + $1.hosts.count }
        try await store.appendGovernance(
            GovernanceEntry(
                time: now,
                kind: "app",
                action: "blocklist.generate",
                target: format,
                detail:
                    "\(entries.count) unsanctioned app\(entries.count == 1 ? "" : "s"), \(domains) domains and hosts",
                initiatedBy: actor
            )
        )
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/plain; charset=utf-8",
                .contentDisposition: "attachment; filename=\"canopy-blocklist-\(format).txt\"",
                .cacheControl: "no-store",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }
}

/// One user (or source IP) in `GET /api/v1/discovery/users` (`…/ips`).
struct DiscoveredEntity: Encodable {
    var user: String?
    var ip: String?
    var bytesUp: Int64
    var bytesDown: Int64
    var bytesTotal: Int64
    var transactions: Int64
    var blocked: Int64
    var apps: Int
    var firstSeen: Int64
    var lastSeen: Int64
    /// The IP range the address falls in (IPs only; absent when none).
    var ipRange: RangeRef?

    struct RangeRef: Encodable {
        var id: Int64
        var name: String
        var category: String
        var tags: [String]
    }

    init(_ s: EntityUsageSummary, users: Bool, range: IPRangeRecord?) {
        (user, ip) = users ? (s.key, nil) : (nil, s.key)
        (bytesUp, bytesDown, bytesTotal, transactions) = (s.bytesUp, s.bytesDown, s.bytesTotal, s.transactions)
        (blocked, apps, firstSeen, lastSeen) = (s.blocked, s.apps, s.firstSeen, s.lastSeen)
        ipRange = range.map { RangeRef(id: $0.id, name: $0.name, category: $0.category, tags: $0.tags) }
    }

    static func csvHeader(users: Bool) -> [String] {
        [
            users ? "user" : "ip", "bytesUp", "bytesDown", "bytesTotal", "transactions", "blocked", "apps",
            "firstSeen", "lastSeen",
        ] + (users ? [] : ["range", "rangeCategory", "rangeTags"])
    }

    var csvRow: [String] {
        [
            user ?? ip ?? "", String(bytesUp), String(bytesDown), String(bytesTotal), String(transactions),
            String(blocked), String(apps), String(firstSeen), String(lastSeen),
        ]
            + (user != nil
                ? [] : [ipRange?.name ?? "", ipRange?.category ?? "", ipRange?.tags.joined(separator: " ") ?? ""])
    }
}

/// One app in `GET /api/v1/catalog/apps`.
struct CatalogItem: Encodable {
    var id: String
    var name: String
    var vendor: String?
    var category: String
    var score: Double?
    var level: String
    var domains: [String]

    static let csvHeader = ["id", "name", "vendor", "category", "score", "level", "domains"]

    var csvRow: [String] {
        [
            id, name, vendor ?? "", category, score.map { String($0) } ?? "", level,
            domains.joined(separator: " "),
        ]
    }
}

/// `GET /api/v1/catalog/apps/{app}`: the catalog entry, the tenant's tags, and the score explained factor by factor.
struct CatalogAppDetail: Encodable {
    var app: CatalogApp
    var tags: [String]
    var risk: RiskExplanation
}
