package import CanopyCollector
import CanopyDiscovery
package import CanopyStore
import Foundation
package import Hummingbird

/// The web portal: server-rendered pages (Mustache) for signed-in admins, its styles and script under `/static`,
/// and the sign-in pages. Everything it serves comes from the binary; charts are inline SVG.
package enum PortalRoutes {
    package static func add(
        to router: Router<CanopyRequestContext>,
        store: any Store,
        catalog: TenantCatalog,
        renderer: PortalRenderer,
        clock: @escaping @Sendable () -> Int64,
        throttle: LoginThrottle = LoginThrottle(),
        policy: SessionPolicy = SessionPolicy(),
        intake: SnapshotIntake,
        oidc: PortalOIDC? = nil,
        anonymization: ServerAnonymization
    ) {
        router.get("/static/:file") { _, context -> Response in
            guard let file = context.parameters.get("file"), let response = renderer.asset(file) else {
                throw PortalError(.notFound, "There is no such file.")
            }
            return response
        }
        let signedIn = router.group()
            .add(middleware: SessionAuthenticator(store: store, clock: clock, policy: policy))
            .add(middleware: PortalAPIErrorPages())
        let auth = PortalAuthRoutes(
            store: store,
            renderer: renderer,
            clock: clock,
            throttle: throttle,
            policy: policy,
            oidcName: oidc?.provider.configuration.displayName
        )
        auth.add(public: router, signedIn: signedIn)
        if let oidc {
            PortalOIDCRoutes(oidc: oidc, store: store, renderer: renderer, auth: auth, clock: clock).add(to: router)
        }
        PortalDiscoveryRoutes(store: store, renderer: renderer, tenant: catalog, clock: clock).add(to: signedIn)
        PortalCatalogRoutes(renderer: renderer, tenant: catalog, store: store, clock: clock).add(to: signedIn)
        PortalCustomAppRoutes(store: store, renderer: renderer, tenant: catalog, clock: clock).add(to: signedIn)
        PortalAdminRoutes(store: store, renderer: renderer, clock: clock, anonymization: anonymization).add(
            to: signedIn
        )
        PortalIPRangeRoutes(store: store, renderer: renderer, clock: clock).add(to: signedIn)
        PortalGovernanceRoutes(store: store, renderer: renderer).add(to: signedIn)
        PortalSnapshotRoutes(
            store: store,
            renderer: renderer,
            intake: intake,
            formats: intake.formats.sorted(),
            clock: clock
        )
        .add(to: signedIn)
    }
}

/// `/catalog`: search the app catalog; each result links to the app's page with its score explained.
struct PortalCatalogRoutes {
    let renderer: PortalRenderer
    let tenant: TenantCatalog
    let store: any Store
    let clock: @Sendable () -> Int64

    struct Row {
        var id: String
        var name: String
        var vendor: String?
        var category: String
        var score: String
        var level: String
        var domains: String
    }

    struct Page {
        var q: String
        var rows: [Row]
        var total: Int
    }

    func add(to group: RouterGroup<CanopyRequestContext>) {
        group.get("/catalog") { request, context -> Response in
            try context.requirePortal(.readApps)
            let catalog = try await tenant.portal(store)
            let q = String(request.uri.queryParameters["q"] ?? "").trimmingCharacters(in: .whitespaces)
            let scorer = try await catalog.scorer(store: store, now: clock())
            let rows = catalog.catalog.search(q, limit: 100).map { app in
                let explanation = scorer.explain(appID: app.id)
                return Row(
                    id: app.id,
                    name: app.name,
                    vendor: app.vendor,
                    category: catalog.categoryName(of: app.id),
                    score: ScoreText.text(explanation.score),
                    level: explanation.level.rawValue,
                    domains: app.domains.prefix(3).joined(separator: ", ")
                )
            }
            return try renderer.page(
                "catalog",
                title: "App catalog",
                section: "catalog",
                context: context,
                Page(q: q, rows: rows, total: catalog.catalog.apps.count)
            )
        }
    }
}
