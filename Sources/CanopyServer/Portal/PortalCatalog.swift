import CanopyCollector
import CanopyDiscovery
import CanopyStore
import Foundation

/// What the portal needs from the app catalog: names, categories and scores under the tenant's scoring settings
/// (kept in the store under ``PortalCatalog/scoringKey`` as JSON, so every node scores alike), custom apps included.
struct PortalCatalog: Sendable {
    let catalog: AppCatalog
    /// The fixed scores of custom apps (an explicit override in the scoring settings wins).
    let customScores: [String: ScoringSettings.Override]

    init(_ matching: MatchingCatalog) {
        catalog = matching.catalog
        customScores = matching.customScores
    }

    static let scoringKey = "discovery.scoring"

    /// A scorer with the stored settings (the defaults when none are stored).
    func scorer(store: any Store, now: Int64) async throws -> RiskScorer {
        var settings = ScoringSettings()
        if let json = try await store.setting(Self.scoringKey),
            let stored = try? JSONDecoder().decode(ScoringSettings.self, from: Data(json.utf8))
        {
            settings = stored
        }
        for (app, score) in customScores where settings.overrides[app] == nil { settings.overrides[app] = score }
        let date = Date(timeIntervalSince1970: Double(now) / 1_000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month], from: date)
        return RiskScorer(
            catalog: catalog,
            settings: settings,
            currentYear: parts.year ?? 2026,
            currentMonth: parts.month ?? 1
        )
    }

    func name(of app: String) -> String { catalog.app(id: app)?.name ?? app }

    func categoryName(of app: String) -> String {
        guard let id = catalog.app(id: app)?.category else { return "Unknown" }
        return catalog.category(id: id)?.name ?? id
    }
}

extension TenantCatalog {
    /// The catalog with the custom apps now in `store`.
    func portal(_ store: any Store) async throws -> PortalCatalog {
        PortalCatalog(try await refreshed(from: store))
    }
}

/// A score as the portal shows it.
enum ScoreText {
    static func text(_ score: Double?) -> String {
        guard let score else { return "—" }
        return String(Int(score.rounded()))
    }
}
