import CanopyCollector
import CanopyDiscovery
import CanopyStore
import Foundation
import Hummingbird

/// The Cloud Discovery pages: the dashboard, discovered apps (filters, bulk sanction/unsanction, block-list
/// download), an app's page, users and IP addresses.
struct PortalDiscoveryRoutes {
    let store: any Store
    let renderer: PortalRenderer
    let tenant: TenantCatalog
    let clock: @Sendable () -> Int64

    func add(to group: RouterGroup<CanopyRequestContext>) {
        group.get("/") { request, context in try await dashboard(request, context) }
        group.get("/discovery/apps") { request, context in try await apps(request, context) }
        group.post("/discovery/apps/tags") { request, context in try await bulkTag(request, context) }
        group.get("/discovery/apps/:app") { request, context in try await app(request, context) }
        group.get("/discovery/users") { request, context in try await entities(request, context, users: true) }
        group.get("/discovery/ips") { request, context in try await entities(request, context, users: false) }
        group.get("/discovery/blocklist") { request, context in try await blocklist(request, context) }
    }

    // MARK: Dashboard

    struct Tile {
        var label: String
        var value: String
    }

    struct Dashboard {
        var range: RangeChoice
        var tiles: [Tile]
        var trafficSvg: String
        var appsSvg: String
        var usersSvg: String
        var ipsSvg: String
        var categoriesSvg: String
        var levels: [LevelRow]
        var empty: Bool
    }

    struct LevelRow {
        var level: String
        var title: String
        var apps: Int
        var traffic: String
    }

    private func dashboard(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        // An app admin has no organization-wide dashboard: its apps are its start page.
        if context.principal?.role == .appAdmin { return Response.redirect(to: "/discovery/apps", type: .normal) }
        try context.requirePortal(.readDiscovery)
        let catalog = try await tenant.portal(store)
        let range = try await RangeChoice(request, today: today, store: store)
        let source = range.dataSource
        // The five reads at once: both backends read concurrently (SQLite's WAL readers, PostgreSQL's pool).
        async let totalsRead = store.discoveryTotals(days: range.days, dataSource: source)
        async let appsRead = store.discoveryByApp(days: range.days, dataSource: source)
        async let usersRead = store.discoveryByUser(days: range.days, dataSource: source, app: nil, limit: 10)
        async let ipsRead = store.discoveryByIP(days: range.days, dataSource: source, app: nil, limit: 10)
        async let dailyRead = store.discoveryDaily(days: range.days, dataSource: source, app: nil)
        let (totals, apps, users, ips, daily) = try await (totalsRead, appsRead, usersRead, ipsRead, dailyRead)
        let scorer = try await catalog.scorer(store: store, now: clock())
        var categories: [String: Int64] = [:]
        var levels: [RiskLevel: (Int, Int64)] = [:]
        for app in apps {
            categories[catalog.categoryName(of: app.app), default: 0] += app.bytesTotal
            let level = scorer.explain(appID: app.app).level
            levels[level, default: (0, 0)].0 += 1
            levels[level, default: (0, 0)].1 += app.bytesTotal
        }
        let tiles = [
            Tile(label: "Discovered apps", value: Quantity.count(Int64(totals.apps))),
            Tile(label: "Users", value: Quantity.count(Int64(totals.users))),
            Tile(label: "IP addresses", value: Quantity.count(Int64(totals.sourceIPs))),
            Tile(label: "Traffic", value: Quantity.bytes(totals.bytesTotal)),
            Tile(label: "Uploaded", value: Quantity.bytes(totals.bytesUp)),
            Tile(label: "Transactions", value: Quantity.count(totals.transactions)),
            Tile(label: "Blocked", value: Quantity.count(totals.blocked)),
        ]
        let trafficPoints: [SVGChart.Point] = daily.map {
            SVGChart.Point(
                label: DayText.text($0.day),
                value: Double($0.bytesTotal),
                text: Quantity.bytes($0.bytesTotal)
            )
        }
        let appBars: [SVGChart.Bar] = apps.prefix(10).map {
            SVGChart.Bar(
                label: catalog.name(of: $0.app),
                value: Double($0.bytesTotal),
                text: Quantity.bytes($0.bytesTotal)
            )
        }
        let userBars: [SVGChart.Bar] = users.map(Self.bar)
        let ipBars: [SVGChart.Bar] = ips.map(Self.bar)
        let sortedCategories = categories.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let categoryBars: [SVGChart.Bar] = sortedCategories.prefix(10).map {
            SVGChart.Bar(label: $0.key, value: Double($0.value), text: Quantity.bytes($0.value))
        }
        let levelRows: [LevelRow] = [RiskLevel.high, .medium, .low, .unscored].map {
            LevelRow(
                level: $0.rawValue,
                title: LevelText.title($0),
                apps: levels[$0]?.0 ?? 0,
                traffic: Quantity.bytes(levels[$0]?.1 ?? 0)
            )
        }
        let page = Dashboard(
            range: range,
            tiles: tiles,
            trafficSvg: SVGChart.columns(trafficPoints, title: "Traffic per day"),
            appsSvg: SVGChart.bars(appBars, title: "Top apps by traffic"),
            usersSvg: SVGChart.bars(userBars, title: "Top users by traffic"),
            ipsSvg: SVGChart.bars(ipBars, title: "Top IP addresses by traffic"),
            categoriesSvg: SVGChart.bars(categoryBars, title: "Top categories by traffic"),
            levels: levelRows,
            empty: apps.isEmpty
        )
        return try renderer.page("dashboard", title: "Cloud Discovery", section: "dashboard", context: context, page)
    }

    static func bar(_ entity: EntityUsageSummary) -> SVGChart.Bar {
        SVGChart.Bar(label: entity.key, value: Double(entity.bytesTotal), text: Quantity.bytes(entity.bytesTotal))
    }

    // MARK: Discovered apps

    struct AppRow {
        var id: String
        var name: String
        var category: String
        var score: String
        var level: String
        var tags: [String]
        var traffic: String
        var uploaded: String
        var transactions: String
        var users: Int
        var ips: Int
        var lastSeen: String
    }

    struct AppsPage {
        var range: RangeChoice
        var q: String
        var categories: [Option]
        var levels: [Option]
        var tags: [Option]
        var rows: [AppRow]
        var count: Int
        var shown: Int
        var canManage: Bool
        var canDownload: Bool
        var formats: [Option]
        var notice: String?
    }

    struct Option {
        var value: String
        var title: String
        var selected: Bool
    }

    private func apps(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        let principal = try context.requirePortal(.readApps)
        let catalog = try await tenant.portal(store)
        let range = try await RangeChoice(request, today: today, store: store)
        let q = request.uri.queryParameters
        let text = String(q["q"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let category = String(q["category"] ?? "")
        let level = String(q["level"] ?? "")
        let tag = String(q["tag"] ?? "")
        let usage = try await store.discoveryByApp(days: range.days, dataSource: range.dataSource)
        let tags = try await store.appTags()
        let scorer = try await catalog.scorer(store: store, now: clock())
        var rows: [AppRow] = []
        var categoryIDs = Set<String>()
        for app in usage where principal.covers(app.app) {
            let entry = catalog.catalog.app(id: app.app)
            categoryIDs.insert(entry?.category ?? "")
            let explanation = scorer.explain(appID: app.app)
            let appTags = (tags[app.app] ?? []).sorted()
            if !text.isEmpty, !app.app.contains(text), !(entry?.name.lowercased().contains(text) ?? false) { continue }
            if !category.isEmpty, entry?.category != category { continue }
            if !level.isEmpty, explanation.level.rawValue != level { continue }
            if tag == "none", !appTags.isEmpty { continue }
            if !tag.isEmpty, tag != "none", !appTags.contains(tag) { continue }
            rows.append(
                AppRow(
                    id: app.app,
                    name: entry?.name ?? app.app,
                    category: catalog.categoryName(of: app.app),
                    score: ScoreText.text(explanation.score),
                    level: explanation.level.rawValue,
                    tags: appTags,
                    traffic: Quantity.bytes(app.bytesTotal),
                    uploaded: Quantity.bytes(app.bytesUp),
                    transactions: Quantity.count(app.transactions),
                    users: app.users,
                    ips: app.sourceIPs,
                    lastSeen: TimeText.text(app.lastSeen)
                )
            )
        }
        let allTags = Set(tags.values.flatMap { $0 }).subtracting(["sanctioned", "unsanctioned"]).sorted()
        let page = AppsPage(
            range: range,
            q: text,
            categories: categoryIDs.compactMap { id in
                catalog.catalog.category(id: id).map { Option(value: id, title: $0.name, selected: id == category) }
            }.sorted { $0.title < $1.title },
            levels: [RiskLevel.high, .medium, .low, .unscored].map {
                Option(value: $0.rawValue, title: LevelText.title($0), selected: $0.rawValue == level)
            },
            tags: (["sanctioned", "unsanctioned", "none"] + allTags).map {
                Option(value: $0, title: $0 == "none" ? "not tagged" : $0, selected: $0 == tag)
            },
            rows: Array(rows.prefix(500)),
            count: rows.count,
            shown: min(rows.count, 500),
            canManage: principal.role.allows(.tagApps),
            canDownload: principal.role.allows(.readDiscovery),
            formats: BuiltinBlocklists.all.map {
                Option(value: $0.descriptor.id, title: $0.descriptor.product, selected: $0.descriptor.id == "squid")
            },
            notice: q["done"].flatMap { Int(String($0)) }.map { "Changed \($0) app\($0 == 1 ? "" : "s")." }
        )
        return try renderer.page("apps", title: "Discovered apps", section: "apps", context: context, page)
    }

    private func bulkTag(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        let principal = try context.requirePortal(.tagApps)
        var request = request
        let form = try await PortalForm.read(&request)
        let apps = form.all("app").filter { TagPath.isSlug($0, max: 100) }
        if let outside = apps.first(where: { !principal.covers($0) }) {
            throw PortalError(.forbidden, "\(outside) is not one of your apps.")
        }
        let action = form["action"] ?? ""
        let custom = (form["tag"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        var changed = 0
        for app in apps {
            let now = clock()
            let did: Bool
            switch action {
            case "sanction", "unsanction":
                did = try await AppTagging.add(
                    action + "ed",
                    to: app,
                    store: store,
                    actor: principal.name,
                    sourceIP: context.clientAddress,
                    now: now
                )
            case "clear":
                let a = try await AppTagging.remove(
                    "sanctioned",
                    from: app,
                    store: store,
                    actor: principal.name,
                    sourceIP: context.clientAddress,
                    now: now
                )
                let b = try await AppTagging.remove(
                    "unsanctioned",
                    from: app,
                    store: store,
                    actor: principal.name,
                    sourceIP: context.clientAddress,
                    now: now
                )
                did = a || b
            case "tag":
                guard TagPath.isSlug(custom, max: 50) else {
                    throw PortalError(.badRequest, "Tags are lowercase letters, digits and -.")
                }
                did = try await AppTagging.add(
                    custom,
                    to: app,
                    store: store,
                    actor: principal.name,
                    sourceIP: context.clientAddress,
                    now: now
                )
            default:
                throw PortalError(.badRequest, "Choose sanction, unsanction, clear or a tag.")
            }
            if did { changed += 1 }
        }
        let back = PortalAuthRoutes.safeNext(form["back"])
        let separator = back.contains("?") ? "&" : "?"
        return Response.redirect(
            to: back == "/" ? "/discovery/apps?done=\(changed)" : back + separator + "done=\(changed)",
            type: .normal
        )
    }

    // MARK: One app

    struct FactorRow {
        var name: String
        var value: String
        var score: String
        var weight: String
        var counted: Bool
        var source: String?
    }

    struct GroupRow {
        var title: String
        var weight: String
        var score: String
        var factors: [FactorRow]
    }

    struct EntityRow {
        var key: String
        var traffic: String
        var uploaded: String
        var transactions: String
        var apps: Int
        var lastSeen: String
        /// The IP range an address falls in, and its category's title (IP pages only).
        var rangeName: String? = nil
        var rangeCategory: String? = nil
    }

    struct AppPage {
        var id: String
        var name: String
        var vendor: String?
        var category: String
        var website: String?
        var domains: [String]
        var score: String
        var level: String
        var levelTitle: String
        var override: String?
        var tags: [String]
        var sanctioned: Bool
        var unsanctioned: Bool
        var inCatalog: Bool
        var groups: [GroupRow]
        var range: RangeChoice
        var trafficSvg: String
        var users: [EntityRow]
        var ips: [EntityRow]
        var canManage: Bool
        var back: String
    }

    private func app(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        let principal = try context.requirePortal(.readApps)
        let catalog = try await tenant.portal(store)
        let id = context.parameters.get("app") ?? ""
        guard principal.covers(id) else { throw PortalError(.forbidden, "This app is not one of your apps.") }
        guard TagPath.isSlug(id, max: 100) else { throw PortalError(.notFound, "There is no such app.") }
        let entry = catalog.catalog.app(id: id)
        let range = try await RangeChoice(request, today: today, store: store)
        let source = range.dataSource
        let daily = try await store.discoveryDaily(days: range.days, dataSource: source, app: id)
        let users = try await store.discoveryByUser(days: range.days, dataSource: source, app: id, limit: 50)
        let ips = try await store.discoveryByIP(days: range.days, dataSource: source, app: id, limit: 50)
        guard entry != nil || !daily.isEmpty else { throw PortalError(.notFound, "There is no such app.") }
        let explanation = try await catalog.scorer(store: store, now: clock()).explain(appID: id)
        let tags = (try await store.appTags()[id] ?? []).sorted()
        let page = AppPage(
            id: id,
            name: entry?.name ?? id,
            vendor: entry?.vendor,
            category: catalog.categoryName(of: id),
            website: entry?.website,
            domains: entry?.domains ?? [],
            score: ScoreText.text(explanation.score),
            level: explanation.level.rawValue,
            levelTitle: LevelText.title(explanation.level),
            override: explanation.override.map { "Score set to \(ScoreText.text($0.score)) by an admin: \($0.note)" },
            tags: tags,
            sanctioned: tags.contains("sanctioned"),
            unsanctioned: tags.contains("unsanctioned"),
            inCatalog: entry != nil,
            groups: explanation.groups.map { group in
                GroupRow(
                    title: group.group.rawValue.capitalized,
                    weight: group.weight.rawValue,
                    score: ScoreText.text(group.score),
                    factors: group.factors.map {
                        FactorRow(
                            name: $0.name,
                            value: $0.value ?? "unknown",
                            score: $0.score.map { String(format: "%.0f", $0) } ?? "—",
                            weight: $0.weight.rawValue,
                            counted: $0.counted,
                            source: $0.source
                        )
                    }
                )
            },
            range: range,
            trafficSvg: SVGChart.columns(
                daily.map {
                    SVGChart.Point(
                        label: DayText.text($0.day),
                        value: Double($0.bytesTotal),
                        text: Quantity.bytes($0.bytesTotal)
                    )
                },
                title: "Traffic per day"
            ),
            users: users.map(EntityRow.init),
            ips: ips.map(EntityRow.init),
            canManage: principal.role.allows(.tagApps),
            back: "/discovery/apps/\(id)"
        )
        return try renderer.page("app", title: page.name, section: "apps", context: context, page)
    }

    // MARK: Users and IP addresses

    struct EntitiesPage {
        var range: RangeChoice
        var users: Bool
        var rows: [EntityRow]
        var count: Int
        /// IP pages: the range-category filter (empty value: every address).
        var categories: [Option]
        var days: Int
    }

    private func entities(_ request: Request, _ context: CanopyRequestContext, users: Bool) async throws -> Response {
        try context.requirePortal(.readDiscovery)
        let range = try await RangeChoice(request, today: today, store: store)
        let source = range.dataSource
        let category = request.uri.queryParameters["category"].map(String.init).flatMap {
            IPRangeCategory(rawValue: $0)?.rawValue ?? ($0 == "none" ? "none" : nil)
        }
        var rows: [EntityRow]
        if users {
            rows = try await store.discoveryByUser(days: range.days, dataSource: source, app: nil, limit: 1_000)
                .map(EntityRow.init)
        } else {
            let table = IPRangeTable(try await store.ipRanges())
            rows = try await store.discoveryByIP(days: range.days, dataSource: source, app: nil, limit: 1_000)
                .compactMap { s in
                    let match = table.range(of: s.key)
                    guard category == nil || (match?.category ?? "none") == category else { return nil }
                    var row = EntityRow(s)
                    row.rangeName = match?.name
                    row.rangeCategory = match.map { IPRangeCategory(rawValue: $0.category)?.title ?? $0.category }
                    return row
                }
        }
        let options =
            [Option(value: "", title: "Every address", selected: category == nil)]
            + IPRangeCategory.allCases.map {
                Option(value: $0.rawValue, title: $0.title, selected: category == $0.rawValue)
            }
            + [Option(value: "none", title: "In no range", selected: category == "none")]
        let page = EntitiesPage(
            range: range,
            users: users,
            rows: rows,
            count: rows.count,
            categories: users ? [] : options,
            days: range.count
        )
        return try renderer.page(
            "entities",
            title: users ? "Users" : "IP addresses",
            section: users ? "users" : "ips",
            context: context,
            page
        )
    }

    // MARK: Block list

    private func blocklist(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        let principal = try context.requirePortal(.readDiscovery)
        let catalog = try await tenant.portal(store)
        let format = String(request.uri.queryParameters["format"] ?? "squid")
        guard
            let response = try await Blocklist.response(
                format: format,
                store: store,
                catalog: catalog,
                by: principal.name,
                now: clock()
            )
        else { throw PortalError(.badRequest, "There is no block-list format \(format).") }
        return response
    }

    private var today: Int32 { Int32(clock() / 86_400_000) }
}

extension PortalDiscoveryRoutes.EntityRow {
    init(_ s: EntityUsageSummary) {
        self.init(
            key: s.key,
            traffic: Quantity.bytes(s.bytesTotal),
            uploaded: Quantity.bytes(s.bytesUp),
            transactions: Quantity.count(s.transactions),
            apps: s.apps,
            lastSeen: TimeText.text(s.lastSeen)
        )
    }
}

/// The time-range selector of discovery pages: the last 7, 30 or 90 days (30 by default).
/// The Cloud Discovery pages' selectors: the time range (`days=`) and the continuous report (`report=`: the global
/// report or one data source's, ``ContinuousReports``).
struct RangeChoice {
    struct Choice {
        var days: Int
        var title: String
        var selected: Bool
    }

    struct Report {
        var value: String
        var title: String
        var selected: Bool
    }

    var days: ClosedRange<Int32>
    var count: Int
    var choices: [Choice]
    /// The chosen data source's report; nil for the global report.
    var dataSource: Int64?
    var reports: [Report]
    /// The chosen report's name, for headings.
    var reportName: String
    /// `days=…` and, for a data source's report, `&report=…`: what links to other discovery pages carry.
    var query: String

    init(_ request: Request, today: Int32, sources: [DataSource]) throws {
        let asked = request.uri.queryParameters["days"].flatMap { Int(String($0)) } ?? 30
        count = [1, 7, 30, 90].contains(asked) ? asked : 30
        days = (today - Int32(count) + 1)...today
        choices = [1, 7, 30, 90].map { n in
            Choice(days: n, title: n == 1 ? "Today" : "Last \(n) days", selected: n == asked)
        }
        let chosen: DataSource?
        switch ContinuousReports.dataSource(request.uri.queryParameters["report"].map(String.init), sources: sources) {
        case .success(let source): chosen = source
        case .failure(.malformed(let reason)):
            throw PortalError(.badRequest, reason.prefix(1).uppercased() + reason.dropFirst() + ".")
        case .failure(.unknown): throw PortalError(.notFound, "There is no such continuous report.")
        }
        dataSource = chosen?.id
        reportName = chosen?.name ?? "Global report"
        reports =
            [Report(value: ContinuousReports.global, title: "Global report", selected: chosen == nil)]
            + sources.map { Report(value: String($0.id), title: $0.name, selected: $0.id == chosen?.id) }
        query = "days=\(count)" + (chosen.map { "&report=\($0.id)" } ?? "")
    }

    init(_ request: Request, today: Int32, store: any Store) async throws {
        try self.init(request, today: today, sources: try await store.dataSources())
    }
}

enum LevelText {
    static func title(_ level: RiskLevel) -> String {
        switch level {
        case .high: "High risk (0–4)"
        case .medium: "Medium risk (5–7)"
        case .low: "Low risk (8–10)"
        case .unscored: "Not scored"
        }
    }
}

enum DayText {
    /// A day since the epoch as YYYY-MM-DD.
    static func text(_ day: Int32) -> String {
        String(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(day) * 86_400)).prefix(10))
    }
}

enum TimeText {
    /// Milliseconds since the epoch as `YYYY-MM-DD HH:MM UTC`.
    static func text(_ ms: Int64) -> String {
        let iso = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(ms) / 1_000))
        return iso.prefix(10) + " " + iso.dropFirst(11).prefix(5) + " UTC"
    }
}

extension CanopyRequestContext {
    /// The signed-in admin, if their role holds `permission`; otherwise a portal error page.
    @discardableResult
    func requirePortal(_ permission: Permission) throws -> Principal {
        guard let principal else { throw PortalError(.unauthorized, "Sign in first.") }
        guard principal.role.allows(permission) else { throw PortalError.forbidden(permission) }
        return principal
    }
}
