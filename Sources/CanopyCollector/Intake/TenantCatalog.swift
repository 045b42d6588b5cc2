package import CanopyDiscovery
package import CanopyStore
import Synchronization

/// One version of a tenant's catalog: the shipped apps plus the custom apps in the store, and the matcher built from
/// both. Indices in ``matcher`` are indices in ``catalog``: aggregate with one and name rows with the same one.
package struct MatchingCatalog: Sendable {
    package let catalog: AppCatalog
    package let matcher: AppMatcher
    /// The custom apps this version was built from.
    package let customApps: [CustomAppRecord]
    /// Increases with every rebuild in this process.
    package internal(set) var revision: UInt64

    /// Fixed scores of custom apps, as score overrides (an admin's explicit override of the same app wins).
    package var customScores: [String: ScoringSettings.Override] {
        var out: [String: ScoringSettings.Override] = [:]
        for app in customApps {
            if let score = app.score {
                out[app.id] = ScoringSettings.Override(
                    score: score,
                    note: app.note.isEmpty ? "custom app score" : app.note
                )
            }
        }
        return out
    }

    init(shipped: AppCatalog, customApps: [CustomAppRecord], revision: UInt64) {
        var catalog = shipped
        catalog.add(
            customApps: customApps.map {
                CatalogApp(
                    id: $0.id,
                    name: $0.name,
                    vendor: $0.vendor,
                    category: $0.category,
                    domains: $0.domains,
                    ipRanges: $0.ipRanges.isEmpty ? nil : $0.ipRanges,
                    source: "custom"
                )
            }
        )
        self.catalog = catalog
        self.matcher = AppMatcher(catalog: catalog)
        self.customApps = customApps
        self.revision = revision
    }
}

/// The tenant's catalog as it is now: the shipped catalog plus the custom apps in the store, rebuilt when they
/// change (on this node or another: every ``refreshed(from:)`` reads the small `custom_apps` table and compares).
///
/// Custom apps apply to traffic parsed after they are saved; stored aggregates keep the app they were matched to.
package final class TenantCatalog: Sendable {
    package let shipped: AppCatalog
    private let state: Mutex<MatchingCatalog>

    package init(shipped: AppCatalog) {
        self.shipped = shipped
        state = Mutex(MatchingCatalog(shipped: shipped, customApps: [], revision: 0))
    }

    /// The last version built (without reading the store).
    package var current: MatchingCatalog { state.withLock { $0 } }

    /// The version for the custom apps now in `store`, rebuilt only when they differ from the last one.
    package func refreshed(from store: any Store) async throws -> MatchingCatalog {
        let apps = try await store.customApps()
        let last = current
        if last.customApps == apps { return last }
        var built = MatchingCatalog(shipped: shipped, customApps: apps, revision: 0)
        return state.withLock { state in
            // Another caller may have built the same version meanwhile: keep one revision per version.
            if state.customApps == apps { return state }
            built.revision = state.revision + 1
            state = built
            return built
        }
    }
}
