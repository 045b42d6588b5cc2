import CanopyCollector
import CanopyStore
import Foundation
import Hummingbird

/// Continuous reports, as in the reference product: the **global report** over every data source, and one report per
/// data source, created with the source. Every discovery read — apps, users, IPs, the dashboard — takes
/// `report=global` (the default) or `report=<data source id>`; `GET /api/v1/discovery/reports` lists them with their
/// totals over the day range.
///
/// Traffic stored without a data source (demo data) is in the global report only. A deleted source's traffic stays in
/// the global report until retention removes it.
enum ContinuousReports {
    static let permissions: [String: Permission] = [
        "GET /api/v1/discovery/reports": .readDiscovery
    ]

    /// The report's id in `report=`: `global`, or the data source's id.
    static let global = "global"

    /// The data source whose report `text` names — nil for the global report (also when `text` is absent) — or
    /// `.failure` with why `text` names no report.
    static func dataSource(_ text: String?, sources: [DataSource]) -> Result<DataSource?, ReportError> {
        guard let text, !text.isEmpty, text != global else { return .success(nil) }
        guard let id = Int64(text) else {
            return .failure(.malformed("report is \(global) or a data source id"))
        }
        guard let source = sources.first(where: { $0.id == id }) else {
            return .failure(.unknown("there is no data source \(id), so no continuous report of it"))
        }
        return .success(source)
    }

    enum ReportError: Error {
        case malformed(String)
        case unknown(String)
    }

    /// The data source a request's `report=` chooses (nil: global); 400 for a malformed value, 404 for no such
    /// data source.
    static func dataSource(_ request: Request, store: any Store) async throws -> Int64? {
        guard let text = request.uri.queryParameters["report"].map(String.init), text != global else { return nil }
        switch dataSource(text, sources: try await store.dataSources()) {
        case .success(let source): return source?.id
        case .failure(.malformed(let reason)): throw APIError.badRequest(reason)
        case .failure(.unknown(let reason)): throw APIError(.notFound, "not-found", reason)
        }
    }

    static func add(
        to api: RouterGroup<CanopyRequestContext>,
        store: any Store,
        clock: @escaping @Sendable () -> Int64
    ) {
        api.get("/discovery/reports") { request, context -> Response in
            _ = try context.require(.readDiscovery)
            let query = try ListQuery(request)
            let now = clock()
            let days = try DayRange(request, today: Int32(now / 86_400_000))
            let sources = try await store.dataSources()
            let intakes = try await store.intakes()
            var reports = [
                ReportItem(
                    id: global,
                    name: "Global report",
                    dataSource: nil,
                    status: nil,
                    totals: try await store.discoveryTotals(days: days.range, dataSource: nil)
                )
            ]
            for source in sources {
                let health = DataSourceHealth(source: source, intake: intakes[source.id], now: now)
                reports.append(
                    ReportItem(
                        id: String(source.id),
                        name: source.name,
                        dataSource: source.id,
                        status: health.status.rawValue,
                        totals: try await store.discoveryTotals(days: days.range, dataSource: source.id)
                    )
                )
            }
            let (page, next) = try query.slice(reports)
            return try query.respond(page, next: next, csvHeader: ReportItem.csvHeader) { $0.csvRow }
        }
    }
}

/// One continuous report in `GET /api/v1/discovery/reports`, with its totals over the day range.
struct ReportItem: Encodable {
    var id: String
    var name: String
    /// The data source's id; absent for the global report.
    var dataSource: Int64?
    /// The data source's health (`connected`, `waiting`, `disconnected`); absent for the global report.
    var status: String?
    var apps: Int
    var users: Int
    var sourceIPs: Int
    var bytesUp: Int64
    var bytesDown: Int64
    var bytesTotal: Int64
    var transactions: Int64
    var blocked: Int64

    init(id: String, name: String, dataSource: Int64?, status: String?, totals: DiscoveryTotals) {
        (self.id, self.name, self.dataSource, self.status) = (id, name, dataSource, status)
        (apps, users, sourceIPs) = (totals.apps, totals.users, totals.sourceIPs)
        (bytesUp, bytesDown, bytesTotal) = (totals.bytesUp, totals.bytesDown, totals.bytesTotal)
        (transactions, blocked) = (totals.transactions, totals.blocked)
    }

    static let csvHeader = [
        "id", "name", "dataSource", "status", "apps", "users", "sourceIPs", "bytesUp", "bytesDown", "bytesTotal",
        "transactions", "blocked",
    ]
    var csvRow: [String] {
        [
            id, name, dataSource.map(String.init) ?? "", status ?? "", String(apps), String(users), String(sourceIPs),
            String(bytesUp), String(bytesDown), String(bytesTotal), String(transactions), String(blocked),
        ]
    }
}
