import CanopyCollector
import CanopyStore
import Foundation
import Hummingbird

/// `/api/v1/datasources` (continuous discovery feeds, their intake and health) and `/api/v1/alerts` (system alerts).
enum DataSourceRoutes {
    static let permissions: [String: Permission] = [
        "GET /api/v1/datasources": .readDiscovery,
        "POST /api/v1/datasources": .manageDiscovery,
        "DELETE /api/v1/datasources/{id}": .manageDiscovery,
        "GET /api/v1/alerts": .readAlerts,
    ]

    static func add(
        to api: RouterGroup<CanopyRequestContext>,
        store: any Store,
        formats: Set<String>,
        clock: @escaping @Sendable () -> Int64
    ) {
        api.get("/datasources") { request, context -> Response in
            _ = try context.require(.readDiscovery)
            let query = try ListQuery(request)
            let sources = try await store.dataSources()
            let intakes = try await store.intakes()
            let now = clock()
            let (page, next) = try query.slice(sources)
            var items: [DataSourceItem] = []
            for source in page {
                let error = try await store.setting("datasource.error.\(source.id)")
                items.append(
                    DataSourceItem(source, intake: intakes[source.id] ?? DataSourceIntake(), error: error, now: now)
                )
            }
            return try query.respond(items, next: next, csvHeader: DataSourceItem.csvHeader) { $0.csvRow }
        }
        api.post("/datasources") { request, context -> Response in
            let principal = try context.require(.manageDiscovery)
            let draft: DataSourceDraft
            do {
                draft = try await request.decode(as: DataSourceDraft.self, context: context)
            } catch {
                throw APIError.badRequest("the body must be a JSON data source: name, format, transport, port or path")
            }
            let now = clock()
            let source: DataSource
            do {
                source = try draft.validated(
                    existing: try await store.dataSources(),
                    formats: formats,
                    by: principal.name,
                    at: now
                )
            } catch let error as CollectorError {
                throw APIError.badRequest(error.description)
            }
            guard let id = try await store.createDataSource(source) else {
                throw APIError.badRequest("a data source named \(source.name) exists")
            }
            var stored = source
            stored.id = id
            try await store.appendAudit(
                AuditEntry(
                    time: now,
                    actor: principal.name,
                    action: "datasource.create",
                    target: stored.name,
                    detail: stored.summary,
                    sourceIP: context.clientAddress
                )
            )
            let item = DataSourceItem(stored, intake: DataSourceIntake(), error: nil, now: now)
            return try Response.json(item, status: .created)
        }
        api.delete("/datasources/:id") { _, context -> Response in
            let principal = try context.require(.manageDiscovery)
            guard let text = context.parameters.get("id"), let id = Int64(text) else {
                throw APIError.badRequest("a data source id is a number")
            }
            guard let source = try await store.dataSources().first(where: { $0.id == id }) else {
                throw APIError(.notFound, "not-found", "no data source \(id)")
            }
            try await store.deleteDataSource(id: id)
            try await store.setSetting("datasource.error.\(id)", to: nil)
            try await store.appendAudit(
                AuditEntry(
                    time: clock(),
                    actor: principal.name,
                    action: "datasource.delete",
                    target: source.name,
                    detail: "id \(id)",
                    sourceIP: context.clientAddress
                )
            )
            return try Response.json(["deleted": id])
        }
        api.get("/alerts") { request, context -> Response in
            _ = try context.require(.readAlerts)
            let query = try ListQuery(request)
            let page = try await store.alerts(before: try query.beforeID(), limit: query.limit + 1)
            let items = page.prefix(query.limit).map(AlertItem.init)
            let next = page.count > query.limit ? items.last.map { ListQuery.cursor(beforeID: $0.id) } : nil
            return try query.respond(Array(items), next: next, csvHeader: AlertItem.csvHeader) { $0.csvRow }
        }
    }
}

/// One data source in `GET /api/v1/datasources`: what it is, what it received, and whether it is delivering.
struct DataSourceItem: Encodable {
    var id: Int64
    var name: String
    var format: String
    var transport: String
    var port: Int?
    var path: String?
    var createdBy: String
    var createdAt: Int64
    /// `connected`, `waiting` or `disconnected` (docs/collector.md).
    var status: String
    var silentSince: Int64
    /// Why the collector cannot run it (a port in use …), when it cannot.
    var error: String?
    var intake: DataSourceIntake

    init(_ source: DataSource, intake: DataSourceIntake, error: String?, now: Int64) {
        let health = DataSourceHealth(source: source, intake: intake, now: now)
        (id, name, format, transport) = (source.id, source.name, source.format, source.transport.rawValue)
        (port, path, createdBy, createdAt) = (source.port, source.path, source.createdBy, source.createdAt)
        (status, silentSince, self.error, self.intake) = (health.status.rawValue, health.silentSince, error, intake)
    }

    static let csvHeader = [
        "id", "name", "format", "transport", "port", "path", "status", "lines", "records", "ignored", "rejected",
        "bytes", "lastReceivedAt", "error",
    ]
    var csvRow: [String] {
        [
            String(id), name, format, transport, port.map(String.init) ?? "", path ?? "", status,
            String(intake.lines), String(intake.records), String(intake.ignored), String(intake.rejected),
            String(intake.bytes), intake.lastReceivedAt.map(String.init) ?? "", error ?? "",
        ]
    }
}

/// One alert in `GET /api/v1/alerts`.
struct AlertItem: Encodable {
    var id: Int64
    var time: Int64
    var kind: String
    var severity: String
    var title: String
    var detail: String
    var entity: String
    var status: String

    init(_ s: StoredSystemAlert) {
        (id, time, kind, severity) = (s.id, s.alert.time, s.alert.kind, s.alert.severity)
        (title, detail, entity, status) = (s.alert.title, s.alert.detail, s.alert.entity, s.alert.status)
    }

    static let csvHeader = ["id", "time", "kind", "severity", "title", "detail", "entity", "status"]
    var csvRow: [String] { [String(id), String(time), kind, severity, title, detail, entity, status] }
}
