import CanopyCollector
import CanopyDiscovery
import CanopyStore
import Foundation
import Hummingbird

/// `/api/v1/discovery/scoring`: the tenant's risk-score tuning — how unknown values count, group and attribute
/// weights, and per-app score overrides with a reason. Stored once for every node (``PortalCatalog/scoringKey``).
enum ScoringRoutes {
    static let permissions: [String: Permission] = [
        "GET /api/v1/discovery/scoring": .readDiscovery,
        "PUT /api/v1/discovery/scoring": .manageDiscovery,
    ]

    static func add(
        to api: RouterGroup<CanopyRequestContext>,
        store: any Store,
        catalog: TenantCatalog,
        clock: @escaping @Sendable () -> Int64
    ) {
        api.get("/discovery/scoring") { _, context -> Response in
            _ = try context.require(.readDiscovery)
            return try Response.json(try await PortalAdminRoutes.scoring(store))
        }
        api.put("/discovery/scoring") { request, context -> Response in
            let principal = try context.require(.manageDiscovery)
            let body = try await request.body.collect(upTo: 1 << 20)
            let settings: ScoringSettings
            do {
                settings = try JSONDecoder().decode(ScoringSettings.self, from: Data(body.readableBytesView))
            } catch {
                throw APIError.badRequest(
                    "the body must be scoring settings: unknownValues (ignore|penalize), groupWeights, "
                        + "attributeWeights (ignored|low|medium|high|very-high), overrides {app: {score, note}}"
                )
            }
            try validate(settings, catalog: try await catalog.refreshed(from: store).catalog)
            let before = try await PortalAdminRoutes.scoring(store)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let json = String(decoding: try encoder.encode(settings), as: UTF8.self)
            if settings != before {
                try await store.setSetting(PortalCatalog.scoringKey, to: json)
                try await store.appendAudit(
                    AuditEntry(
                        time: clock(),
                        actor: principal.name,
                        action: "settings.scoring",
                        target: "risk scoring",
                        detail: summary(settings),
                        sourceIP: context.clientAddress
                    )
                )
            }
            return try Response.json(settings)
        }
    }

    /// Attribute weights must name catalog attributes; overrides must name catalog apps, score 0–10, and say why.
    static func validate(_ settings: ScoringSettings, catalog: AppCatalog) throws {
        let attributes = Set(catalog.attributes.map(\.id))
        for id in settings.attributeWeights.keys where !attributes.contains(id) {
            throw APIError.badRequest("attributeWeights: there is no risk attribute \(id)")
        }
        for (app, override) in settings.overrides {
            guard catalog.app(id: app) != nil else { throw APIError.badRequest("overrides: there is no app \(app)") }
            guard override.score.isFinite, (0...10).contains(override.score) else {
                throw APIError.badRequest("overrides: \(app)'s score must be from 0 to 10")
            }
            let note = override.note.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !note.isEmpty, note.count <= 500 else {
                throw APIError.badRequest("overrides: \(app) needs a note (why, at most 500 characters)")
            }
        }
    }

    /// What the audit entry says: the whole tuning, briefly.
    static func summary(_ s: ScoringSettings) -> String {
        let groups = RiskGroup.allCases.map { "\($0.rawValue) \(s.weight(of: $0).rawValue)" }.joined(separator: ", ")
        let attributes = s.attributeWeights.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.rawValue)" }
        let overrides = s.overrides.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value.score)" }
        return "unknown values \(s.unknownValues.rawValue); groups \(groups)"
            + (attributes.isEmpty ? "" : "; attributes " + attributes.joined(separator: ", "))
            + (overrides.isEmpty ? "" : "; overrides " + overrides.joined(separator: ", "))
    }
}
