import CanopyDiscovery
import Foundation

/// Locates and loads the shipped app catalog (or one given with `--catalog` / `CANOPY_CATALOG`).
enum CatalogResources {
    static func directory(override: String?) throws -> URL {
        if let path = override ?? ProcessInfo.processInfo.environment["CANOPY_CATALOG"] {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        guard let url = Bundle.module.url(forResource: "catalog", withExtension: nil) else {
            throw CLIError("the app catalog is missing from this build; pass --catalog DIR")
        }
        return url
    }

    /// The catalog with the tenant's custom apps added.
    static func load(override: String?, settings: DiscoverySettings) throws -> AppCatalog {
        let dir = try directory(override: override)
        func read(_ name: String) throws -> Data {
            do {
                return try Data(contentsOf: dir.appendingPathComponent(name))
            } catch {
                throw CLIError("cannot read \(dir.appendingPathComponent(name).path)")
            }
        }
        var catalog: AppCatalog
        do {
            catalog = try AppCatalog.load(
                AppCatalog.Files(
                    categories: try read("categories.json"),
                    apps: try read("apps.jsonl"),
                    attributes: try read("attributes.json"),
                    risk: try read("risk.jsonl")
                )
            )
        } catch let error as CatalogError {
            throw CLIError("app catalog: \(error)")
        }
        catalog.add(customApps: settings.customApps)
        return catalog
    }

    /// The scorer for the current month.
    static func scorer(_ catalog: AppCatalog, _ settings: DiscoverySettings) -> RiskScorer {
        let now = Calendar(identifier: .gregorian).dateComponents(
            in: TimeZone(identifier: "UTC") ?? .current,
            from: Date()
        )
        return RiskScorer(
            catalog: catalog,
            settings: settings.scoring,
            currentYear: now.year ?? 2026,
            currentMonth: now.month ?? 1
        )
    }
}
