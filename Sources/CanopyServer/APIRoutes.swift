package import CanopyCollector
import CanopyDiscovery
package import CanopyStore
import Foundation
import HTTPTypes
package import Hummingbird

/// The REST API (`/api/v1`, bearer tokens) and its OpenAPI document (`/api/openapi.json`, public).
///
/// Lists share one shape: `{"items": […], "nextCursor": "…"}` (no `nextCursor` on the last page), `limit` 1–1000
/// (default 100), an opaque `cursor`, and `format=csv` for a CSV export of the same page.
package enum APIRoutes {
    /// What each API route needs, by `METHOD path` as the router names it; the route × role test holds the handlers
    /// to it.
    package static let permissions: [String: Permission] = [
        "GET /api/v1/discovery/apps": .readApps,
        "GET /api/v1/apps/tags": .readApps,
        "PUT /api/v1/apps/{app}/tags/{tag}": .tagApps,
        "DELETE /api/v1/apps/{app}/tags/{tag}": .tagApps,
        "GET /api/v1/audit": .readAudit,
        "DELETE /api/v1/discovery": .manageDiscovery,
    ].merging(DataSourceRoutes.permissions) { first, _ in first }
        .merging(SnapshotRoutes.permissions) { first, _ in first }
        .merging(DiscoveryReadRoutes.permissions) { first, _ in first }
        .merging(ScoringRoutes.permissions) { first, _ in first }
        .merging(AccessRoutes.permissions) { first, _ in first }
        .merging(AdminAccessRoutes.permissions) { first, _ in first }
        .merging(PrivacyRoutes.permissions) { first, _ in first }
        .merging(IPRangeRoutes.permissions) { first, _ in first }
        .merging(CustomAppRoutes.permissions) { first, _ in first }
        .merging(GovernanceRoutes.permissions) { first, _ in first }
        .merging(AnonymizationRoutes.permissions) { first, _ in first }
        .merging(TagRoutes.permissions) { first, _ in first }
        .merging(ContinuousReports.permissions) { first, _ in first }

    package static func add(
        to router: Router<CanopyRequestContext>,
        store: any Store,
        clock: @escaping @Sendable () -> Int64,
        limiter: RateLimiter,
        formats: Set<String> = Set(BuiltinParsers.all.map { $0.descriptor.id }),
        intake: SnapshotIntake,
        catalog: TenantCatalog,
        anonymization: ServerAnonymization
    ) {
        router.get("/api/openapi.json") { _, _ -> Response in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
                let data = try? Data(contentsOf: url)
            else { throw APIError(.internalServerError, "internal", "the API description is missing") }
            return Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
            )
        }
        let api = router.group("/api/v1")
            .add(middleware: TokenAuthenticator(store: store, clock: clock, limiter: limiter))
        DataSourceRoutes.add(to: api, store: store, formats: formats, clock: clock)
        SnapshotRoutes.add(to: api, store: store, intake: intake, clock: clock)
        DiscoveryReadRoutes.add(to: api, store: store, catalog: catalog, clock: clock)
        ScoringRoutes.add(to: api, store: store, catalog: catalog, clock: clock)
        AccessRoutes.add(to: api, store: store, clock: clock)
        AdminAccessRoutes.add(to: api, store: store, clock: clock)
        PrivacyRoutes.add(to: api, store: store, anonymization: anonymization, clock: clock)
        IPRangeRoutes.add(to: api, store: store, clock: clock)
        CustomAppRoutes.add(to: api, store: store, catalog: catalog, clock: clock)
        GovernanceRoutes.add(to: api, store: store)
        TagRoutes.add(to: api, store: store, clock: clock)
        AnonymizationRoutes.add(to: api, anonymization: anonymization, clock: clock)
        ContinuousReports.add(to: api, store: store, clock: clock)
        api.get("/discovery/apps") { request, context -> Response in
            let principal = try context.require(.readApps)
            let query = try ListQuery(request)
            let days = try DayRange(request, today: Int32(clock() / 86_400_000))
            let source = try await ContinuousReports.dataSource(request, store: store)
            let all = try await store.discoveryByApp(days: days.range, dataSource: source)
                .filter { principal.covers($0.app) }
            let (page, next) = try query.slice(all)
            let items = page.map(DiscoveredApp.init)
            return try query.respond(items, next: next, csvHeader: DiscoveredApp.csvHeader) { $0.csvRow }
        }
        api.delete("/discovery") { _, context -> Response in
            let principal = try context.require(.manageDiscovery)
            let deleted = try await Retention.deleteAllDiscovery(
                in: store,
                by: principal.name,
                from: context.clientAddress,
                now: clock()
            )
            return Response(
                status: .ok,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"deleted":\#(deleted)}"#))
            )
        }
        api.get("/apps/tags") { request, context -> Response in
            let principal = try context.require(.readApps)
            let query = try ListQuery(request)
            let all = try await store.appTags().filter { principal.covers($0.key) }.sorted { $0.key < $1.key }
            let (page, next) = try query.slice(all)
            let items = page.map { AppTags(app: $0.key, tags: $0.value.sorted()) }
            return try query.respond(items, next: next, csvHeader: ["app", "tags"]) {
                [$0.app, $0.tags.joined(separator: " ")]
            }
        }
        api.put("/apps/:app/tags/:tag") { _, context -> Response in
            let principal = try context.require(.tagApps)
            let (app, tag) = try TagPath.parse(context)
            try principal.requireScope(app)
            let changed = try await AppTagging.add(
                tag,
                to: app,
                store: store,
                actor: principal.name,
                sourceIP: context.clientAddress,
                now: clock()
            )
            return try TagChange(app: app, tag: tag, changed: changed).response()
        }
        api.delete("/apps/:app/tags/:tag") { _, context -> Response in
            let principal = try context.require(.tagApps)
            let (app, tag) = try TagPath.parse(context)
            try principal.requireScope(app)
            let removed = try await AppTagging.remove(
                tag,
                from: app,
                store: store,
                actor: principal.name,
                sourceIP: context.clientAddress,
                now: clock()
            )
            return try TagChange(app: app, tag: tag, changed: removed).response()
        }
        api.get("/audit") { request, context -> Response in
            _ = try context.require(.readAudit)
            let query = try ListQuery(request)
            let before = try query.beforeID()
            let page = try await store.auditEntries(before: before, limit: query.limit + 1)
            let items = page.prefix(query.limit).map(AuditItem.init)
            let next = page.count > query.limit ? items.last.map { ListQuery.cursor(beforeID: $0.id) } : nil
            return try query.respond(Array(items), next: next, csvHeader: AuditItem.csvHeader) { $0.csvRow }
        }
    }
}

/// `limit`, `cursor` and `format` of a list request.
struct ListQuery {
    var limit = 100
    var cursor: String?
    var csv = false

    init(_ request: Request) throws {
        let q = request.uri.queryParameters
        if let l = q["limit"] {
            guard let n = Int(l), (1...1_000).contains(n) else { throw APIError.badRequest("limit must be 1–1000") }
            limit = n
        }
        cursor = q["cursor"].map(String.init)
        switch q["format"].map(String.init) {
        case nil, "json": csv = false
        case "csv": csv = true
        default: throw APIError.badRequest("format must be json or csv")
        }
    }

    static func cursor(offset: Int) -> String { encode("o:\(offset)") }
    static func cursor(beforeID: Int64) -> String { encode("b:\(beforeID)") }

    func offset() throws -> Int {
        guard let cursor else { return 0 }
        guard let text = Self.decode(cursor), text.hasPrefix("o:"), let n = Int(text.dropFirst(2)), n >= 0 else {
            throw APIError.badRequest("the cursor is not valid for this list")
        }
        return n
    }

    /// The page of `all` this query asks for (an offset cursor) and the next page's cursor, nil on the last page.
    func slice<Item>(_ all: [Item]) throws -> (page: [Item], next: String?) {
        let offset = try offset()
        let page = Array(all.dropFirst(offset).prefix(limit))
        return (page, offset + page.count < all.count ? Self.cursor(offset: offset + page.count) : nil)
    }

    func beforeID() throws -> Int64? {
        guard let cursor else { return nil }
        guard let text = Self.decode(cursor), text.hasPrefix("b:"), let n = Int64(text.dropFirst(2)) else {
            throw APIError.badRequest("the cursor is not valid for this list")
        }
        return n
    }

    private static func encode(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func decode(_ cursor: String) -> String? {
        var b64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        return Data(base64Encoded: b64).flatMap { String(data: $0, encoding: .utf8) }
    }

    /// The page as JSON (`items`, `nextCursor`) or CSV (header, rows; the cursor in a `Link`-style header).
    func respond<Item: Encodable>(
        _ items: [Item],
        next: String?,
        csvHeader: [String],
        row: (Item) -> [String]
    ) throws -> Response {
        var headers: HTTPFields = [.cacheControl: "no-store"]
        if let next { headers[.canopyNextCursor] = next }
        if csv {
            headers[.contentType] = "text/csv; charset=utf-8"
            let text =
                ([csvHeader] + items.map(row)).map { $0.map(CSVField.escape).joined(separator: ",") }
                .joined(separator: "\r\n") + "\r\n"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        headers[.contentType] = "application/json"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(ListPage(items: items, nextCursor: next))
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension HTTPField.Name {
    /// The next page's cursor, on JSON and CSV lists alike.
    static let canopyNextCursor = named("Canopy-Next-Cursor")
}

struct ListPage<Item: Encodable>: Encodable {
    var items: [Item]
    var nextCursor: String?
}

/// `from` and `to` (YYYY-MM-DD, UTC, inclusive); the last 30 days by default.
struct DayRange {
    var range: ClosedRange<Int32>

    init(_ request: Request, today: Int32) throws {
        let q = request.uri.queryParameters
        let to = try q["to"].map { try Self.day(String($0)) } ?? today
        let from = try q["from"].map { try Self.day(String($0)) } ?? (to - 29)
        guard from <= to else { throw APIError.badRequest("from must not be after to") }
        range = from...to
    }

    static func day(_ text: String) throws -> Int32 {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1970...9999).contains(y), (1...12).contains(m), (1...31).contains(d)
        else { throw APIError.badRequest("dates are YYYY-MM-DD") }
        var components = DateComponents()
        components.calendar = Calendar(identifier: .gregorian)
        components.timeZone = TimeZone(identifier: "UTC")
        (components.year, components.month, components.day) = (y, m, d)
        guard let date = components.date, components.isValidDate else { throw APIError.badRequest("no such date") }
        return Int32(date.timeIntervalSince1970 / 86_400)
    }
}

/// CSV fields: quoted when needed, and a leading `=`, `+`, `-`, `@`, tab or CR neutralized with `'` so that a
/// spreadsheet does not run a formula from a log value.
enum CSVField {
    static func escape(_ field: String) -> String {
        var f = field
        if let first = f.first, "=+-@\t\r".contains(first) { f = "'" + f }
        guard f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return f }
        return "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// One app in `GET /api/v1/discovery/apps`.
struct DiscoveredApp: Encodable {
    var app: String
    var bytesUp: Int64
    var bytesDown: Int64
    var bytesTotal: Int64
    var transactions: Int64
    var blocked: Int64
    var users: Int
    var sourceIPs: Int
    var firstSeen: Int64
    var lastSeen: Int64

    init(_ s: AppUsageSummary) {
        (app, bytesUp, bytesDown, bytesTotal) = (s.app, s.bytesUp, s.bytesDown, s.bytesTotal)
        (transactions, blocked, users, sourceIPs) = (s.transactions, s.blocked, s.users, s.sourceIPs)
        (firstSeen, lastSeen) = (s.firstSeen, s.lastSeen)
    }

    static let csvHeader = [
        "app", "bytesUp", "bytesDown", "bytesTotal", "transactions", "blocked", "users", "sourceIPs", "firstSeen",
        "lastSeen",
    ]
    var csvRow: [String] {
        [app]
            + [
                bytesUp, bytesDown, bytesTotal, transactions, blocked, Int64(users), Int64(sourceIPs), firstSeen,
                lastSeen,
            ]
            .map(String.init)
    }
}

/// An app id and a tag from the path: lowercase letters, digits and `-` (catalog ids and tags are slugs).
enum TagPath {
    static func parse(_ context: CanopyRequestContext) throws -> (String, String) {
        let app = context.parameters.get("app") ?? ""
        let tag = context.parameters.get("tag") ?? ""
        guard isSlug(app, max: 100), isSlug(tag, max: 50) else {
            throw APIError.badRequest("app ids and tags are lowercase letters, digits and -")
        }
        return (app, tag)
    }

    static func isSlug(_ s: String, max: Int) -> Bool {
        !s.isEmpty && s.count <= max
            && s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }
}

/// One app in `GET /api/v1/apps/tags`.
struct AppTags: Encodable {
    var app: String
    var tags: [String]
}

/// The answer to a tag change.
struct TagChange: Encodable {
    var app: String
    var tag: String
    /// False when the app already was (or was not) tagged so.
    var changed: Bool

    func response() throws -> Response { try Response.json(self) }
}

/// One entry in `GET /api/v1/audit`.
struct AuditItem: Encodable {
    var id: Int64
    var time: Int64
    var actor: String
    var action: String
    var target: String
    var detail: String
    var sourceIP: String?

    init(_ s: StoredAuditEntry) {
        (id, time, actor, action) = (s.id, s.entry.time, s.entry.actor, s.entry.action)
        (target, detail, sourceIP) = (s.entry.target, s.entry.detail, s.entry.sourceIP)
    }

    static let csvHeader = ["id", "time", "actor", "action", "target", "detail", "sourceIP"]
    var csvRow: [String] { [String(id), String(time), actor, action, target, detail, sourceIP ?? ""] }
}
