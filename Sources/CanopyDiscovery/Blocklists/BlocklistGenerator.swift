/// One app to block, with everything that identifies its traffic.
package struct BlocklistEntry: Sendable, Hashable, Codable {
    package var appID: String
    package var appName: String
    /// Suffix rules: the domain and its subdomains.
    package var domains: [String]
    /// Exact host names.
    package var hosts: [String]
    /// CIDR ranges (custom apps).
    package var ipRanges: [String]

    package init(appID: String, appName: String, domains: [String], hosts: [String] = [], ipRanges: [String] = []) {
        self.appID = appID
        self.appName = appName
        self.domains = domains
        self.hosts = hosts
        self.ipRanges = ipRanges
    }

    /// The entry for a catalog app (domains as ASCII/punycode, lowercase, sorted, de-duplicated).
    package init(app: CatalogApp) {
        func ascii(_ list: [String]) -> [String] {
            Array(Set(list.compactMap { Punycode.asciiHost($0) }.map { $0.lowercased() })).sorted()
        }
        self.init(
            appID: app.id,
            appName: app.name,
            domains: ascii(app.domains),
            hosts: ascii(app.hosts ?? []),
            ipRanges: (app.ipRanges ?? []).sorted()
        )
    }
}

/// Settings shared by every block-list format.
package struct BlocklistContext: Sendable {
    /// A name for the list/object/ACL, e.g. `canopy_unsanctioned` (letters, digits, `_` and `-`).
    package var name: String
    /// When the list was generated (ISO 8601), written as a comment where the format has comments.
    package var generatedAt: String

    package init(name: String = "canopy_unsanctioned", generatedAt: String) {
        self.name = name
        self.generatedAt = generatedAt
    }
}

/// Describes one block-list format.
package struct BlocklistDescriptor: Sendable, Hashable {
    /// Stable id used with `canopy blocklist --format`, e.g. `squid`.
    package let id: String
    package let product: String
    /// How to use the output on the appliance.
    package let usage: String

    package init(id: String, product: String, usage: String) {
        self.id = id
        self.product = product
        self.usage = usage
    }
}

/// Writes a block list for unsanctioned apps in one appliance's format.
package protocol BlocklistGenerator: Sendable {
    static var descriptor: BlocklistDescriptor { get }
    /// The whole list; entries arrive sorted by app id. Output must be valid for the appliance even when empty.
    static func render(_ entries: [BlocklistEntry], context: BlocklistContext) -> String
}
