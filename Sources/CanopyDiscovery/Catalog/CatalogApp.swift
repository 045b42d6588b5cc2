/// One cloud app in the catalog.
package struct CatalogApp: Sendable, Hashable, Codable {
    /// Stable slug, e.g. `dropbox`.
    package var id: String
    package var name: String
    package var vendor: String?
    /// A ``CatalogCategory`` id.
    package var category: String
    /// Suffix rules: each matches the domain and all its subdomains.
    package var domains: [String]
    /// Exact host names.
    package var hosts: [String]?
    /// IP ranges (custom apps only).
    package var ipRanges: [String]?
    package var website: String?
    /// Where the domain list comes from (`v2fly:<file>`, `curated`, `custom`).
    package var source: String?

    package init(
        id: String,
        name: String,
        vendor: String? = nil,
        category: String,
        domains: [String],
        hosts: [String]? = nil,
        ipRanges: [String]? = nil,
        website: String? = nil,
        source: String? = nil
    ) {
        self.id = id
        self.name = name
        self.vendor = vendor
        self.category = category
        self.domains = domains
        self.hosts = hosts
        self.ipRanges = ipRanges
        self.website = website
        self.source = source
    }
}

/// A business category of apps, e.g. `cloud-storage`.
package struct CatalogCategory: Sendable, Hashable, Codable {
    package var id: String
    package var name: String
    package var description: String?

    package init(id: String, name: String, description: String? = nil) {
        self.id = id
        self.name = name
        self.description = description
    }
}
