/// A tenant's Cloud Discovery settings: app tags, custom apps and score tuning.
///
/// Kept as `discovery.yaml` in the data directory, so that `canopy serve` can take it over later.
package struct DiscoverySettings: Sendable, Hashable, Codable {
    /// Tags per app id (`sanctioned`, `unsanctioned` or custom tags).
    package var tags: [String: [String]]
    /// The tenant's own apps.
    package var customApps: [CatalogApp]
    package var scoring: ScoringSettings

    package static let sanctioned = "sanctioned"
    package static let unsanctioned = "unsanctioned"

    package init(tags: [String: [String]] = [:], customApps: [CatalogApp] = [], scoring: ScoringSettings = .init()) {
        self.tags = tags
        self.customApps = customApps
        self.scoring = scoring
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tags = try c.decodeIfPresent([String: [String]].self, forKey: .tags) ?? [:]
        customApps = try c.decodeIfPresent([CatalogApp].self, forKey: .customApps) ?? []
        scoring = try c.decodeIfPresent(ScoringSettings.self, forKey: .scoring) ?? .init()
    }

    /// The tags of an app, sorted.
    package func tags(of appID: String) -> [String] { (tags[appID] ?? []).sorted() }

    /// Adds a tag. Sanctioned and unsanctioned exclude each other.
    package mutating func tag(_ appID: String, with tag: String) {
        var set = Set(tags[appID] ?? [])
        if tag == Self.sanctioned { set.remove(Self.unsanctioned) }
        if tag == Self.unsanctioned { set.remove(Self.sanctioned) }
        set.insert(tag)
        tags[appID] = set.sorted()
    }

    /// Removes a tag.
    package mutating func untag(_ appID: String, tag: String) {
        var set = Set(tags[appID] ?? [])
        set.remove(tag)
        tags[appID] = set.isEmpty ? nil : set.sorted()
    }

    /// The ids of unsanctioned apps, sorted.
    package var unsanctionedApps: [String] {
        tags.filter { $0.value.contains(Self.unsanctioned) }.keys.sorted()
    }

    /// Whether a tag is well-formed: lowercase letters, digits and dashes, 1–40 characters.
    package static func isValidTag(_ tag: String) -> Bool {
        !tag.isEmpty && tag.utf8.count <= 40
            && tag.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }
}
