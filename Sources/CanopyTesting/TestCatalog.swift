package import CanopyDiscovery
import Foundation

/// Catalogs for tests: a small hand-made one, and the shipped one read from the repository.
package enum TestCatalog {
    /// A few apps with overlapping domains, one custom app with an IP range, and two attributes.
    package static func small() -> AppCatalog {
        AppCatalog(
            apps: [
                CatalogApp(id: "microsoft", name: "Microsoft", category: "productivity", domains: ["microsoft.com"]),
                CatalogApp(
                    id: "microsoft-teams",
                    name: "Microsoft Teams",
                    category: "online-meeting",
                    domains: ["teams.microsoft.com"]
                ),
                CatalogApp(
                    id: "dropbox",
                    name: "Dropbox",
                    category: "cloud-storage",
                    domains: ["dropbox.com", "dropboxapi.com"]
                ),
                CatalogApp(id: "bucher", name: "Bücher", category: "e-commerce", domains: ["bücher.example"]),
                CatalogApp(
                    id: "exact",
                    name: "Exact host",
                    category: "productivity",
                    domains: [],
                    hosts: ["only.example.net"]
                ),
                CatalogApp(
                    id: "acme-erp",
                    name: "ACME ERP",
                    category: "business-management",
                    domains: [],
                    ipRanges: ["203.0.113.0/24"],
                    source: "custom"
                ),
            ],
            categories: [
                CatalogCategory(id: "productivity", name: "Productivity"),
                CatalogCategory(id: "online-meeting", name: "Online meeting"),
                CatalogCategory(id: "cloud-storage", name: "Cloud storage"),
                CatalogCategory(id: "e-commerce", name: "E-commerce"),
                CatalogCategory(id: "business-management", name: "Business management"),
            ],
            attributes: [
                RiskAttribute(id: "mfa", group: .security, name: "MFA", kind: .boolean, good: true, weight: .high),
                RiskAttribute(
                    id: "remember-password",
                    group: .security,
                    name: "Remember password",
                    kind: .boolean,
                    good: false,
                    weight: .low
                ),
                RiskAttribute(id: "soc2", group: .compliance, name: "SOC 2", kind: .boolean, good: true, weight: .high),
                RiskAttribute(
                    id: "fedramp",
                    group: .compliance,
                    name: "FedRAMP",
                    kind: .level,
                    levels: ["high": 10, "moderate": 8, "low": 6, "none": 0],
                    weight: .medium
                ),
                RiskAttribute(id: "founded", group: .general, name: "Founded", kind: .year, weight: .low),
                RiskAttribute(id: "headquarters", group: .general, name: "Headquarters", kind: .text, weight: .ignored),
                RiskAttribute(
                    id: "latest-breach",
                    group: .security,
                    name: "Latest breach",
                    kind: .breach,
                    weight: .medium
                ),
                RiskAttribute(
                    id: "data-ownership",
                    group: .legal,
                    name: "Data ownership",
                    kind: .boolean,
                    good: true,
                    weight: .medium
                ),
            ],
            facts: [
                AppRiskFacts(
                    app: "dropbox",
                    asOf: "2025-06",
                    attributes: [
                        "mfa": RiskFact(value: .bool(true), source: "https://help.dropbox.com"),
                        "remember-password": RiskFact(value: .bool(true)),
                        "soc2": RiskFact(value: .bool(true)),
                        "fedramp": RiskFact(value: .text("moderate")),
                        "founded": RiskFact(value: .number(2007)),
                        "headquarters": RiskFact(value: .text("United States")),
                    ]
                )
            ]
        )
    }

    /// The catalog shipped in `Sources/canopy/Resources/catalog`, or nil if it is not there.
    package static func shipped() throws -> AppCatalog? {
        let dir = FixturePaths.repositoryRoot.appendingPathComponent("Sources/canopy/Resources/catalog")
        func read(_ name: String) throws -> Data { try Data(contentsOf: dir.appendingPathComponent(name)) }
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("apps.jsonl").path) else { return nil }
        return try AppCatalog.load(
            AppCatalog.Files(
                categories: try read("categories.json"),
                apps: try read("apps.jsonl"),
                attributes: try read("attributes.json"),
                risk: try read("risk.jsonl")
            )
        )
    }
}
