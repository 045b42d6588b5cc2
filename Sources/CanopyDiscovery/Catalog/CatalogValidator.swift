import CanopyCore
import Foundation

/// Checks a catalog and a tenant's settings: ids, categories, domain conflicts, attribute values, overrides.
package enum CatalogValidator {
    package struct Issue: Sendable, Hashable, Codable {
        package enum Severity: String, Sendable, Hashable, Codable { case error, warning }
        package var severity: Severity
        /// Where: `apps.jsonl:dropbox`, `risk.jsonl:box:soc2`, `discovery.yaml:overrides:mega` …
        package var location: String
        package var message: String
    }

    package static func validate(_ catalog: AppCatalog, settings: DiscoverySettings = .init()) -> [Issue] {
        var issues: [Issue] = []
        func error(_ location: String, _ message: String) {
            issues.append(Issue(severity: .error, location: location, message: message))
        }
        func warning(_ location: String, _ message: String) {
            issues.append(Issue(severity: .warning, location: location, message: message))
        }
        let categoryIDs = Set(catalog.categories.map(\.id))
        if categoryIDs.count != catalog.categories.count { error("categories.json", "duplicate category ids") }
        var seen: Set<String> = []
        var domainOwner: [String: String] = [:]
        for app in catalog.apps {
            let location = app.source == "custom" ? "discovery.yaml:customApps:\(app.id)" : "apps.jsonl:\(app.id)"
            if !seen.insert(app.id).inserted { error(location, "duplicate app id") }
            if !isSlug(app.id) { error(location, "id must be lowercase letters, digits and dashes") }
            if app.name.trimmingCharacters(in: .whitespaces).isEmpty { error(location, "empty name") }
            if !categoryIDs.contains(app.category) { error(location, "unknown category '\(app.category)'") }
            if app.domains.isEmpty && (app.hosts ?? []).isEmpty && (app.ipRanges ?? []).isEmpty {
                error(location, "no domains, hosts or IP ranges: nothing would match this app")
            }
            for d in app.domains + (app.hosts ?? []) {
                guard let ascii = Punycode.asciiHost(d), isHostname(ascii) else {
                    error(location, "'\(d)' is not a valid domain")
                    continue
                }
                if let owner = domainOwner[ascii], owner != app.id {
                    let sev: Issue.Severity = app.source == "custom" ? .warning : .error
                    issues.append(
                        Issue(severity: sev, location: location, message: "domain \(ascii) also belongs to \(owner)")
                    )
                } else {
                    domainOwner[ascii] = app.id
                }
            }
            for r in app.ipRanges ?? [] where IPRange(r) == nil { error(location, "'\(r)' is not a CIDR range") }
        }
        let attributes = Dictionary(catalog.attributes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        if attributes.count != catalog.attributes.count { error("attributes.json", "duplicate attribute ids") }
        for a in catalog.attributes {
            if a.kind == .boolean && a.good == nil {
                error("attributes.json:\(a.id)", "boolean attribute without 'good'")
            }
            if a.kind == .level && (a.levels ?? [:]).isEmpty {
                error("attributes.json:\(a.id)", "level attribute without levels")
            }
            for (_, s) in a.levels ?? [:] where !(0...10).contains(s) {
                error("attributes.json:\(a.id)", "level scores must be 0–10")
            }
        }
        let scorer = RiskScorer(catalog: catalog, settings: settings.scoring, currentYear: 2026)
        for (appID, facts) in catalog.facts {
            if catalog.app(id: appID) == nil { error("risk.jsonl:\(appID)", "no such app") }
            for (attributeID, fact) in facts.attributes {
                guard let attribute = attributes[attributeID] else {
                    error("risk.jsonl:\(appID):\(attributeID)", "no such attribute")
                    continue
                }
                if attribute.kind != .text, scorer.score(attribute, fact.value) == nil {
                    error(
                        "risk.jsonl:\(appID):\(attributeID)",
                        "value '\(fact.value)' does not fit a \(attribute.kind.rawValue) attribute"
                    )
                }
            }
        }
        for (appID, o) in settings.scoring.overrides {
            if catalog.app(id: appID) == nil { warning("discovery.yaml:overrides:\(appID)", "no such app") }
            if !(0...10).contains(o.score) { error("discovery.yaml:overrides:\(appID)", "score must be 0–10") }
            if o.note.trimmingCharacters(in: .whitespaces).isEmpty {
                error("discovery.yaml:overrides:\(appID)", "an override needs a note saying why")
            }
        }
        for id in settings.scoring.attributeWeights.keys where attributes[id] == nil {
            error("discovery.yaml:scoring:attributeWeights:\(id)", "no such attribute")
        }
        for (appID, tags) in settings.tags {
            if catalog.app(id: appID) == nil { warning("discovery.yaml:tags:\(appID)", "no such app") }
            for t in tags where !DiscoverySettings.isValidTag(t) {
                error("discovery.yaml:tags:\(appID)", "tag '\(t)' must be lowercase letters, digits and dashes")
            }
            if tags.contains(DiscoverySettings.sanctioned) && tags.contains(DiscoverySettings.unsanctioned) {
                error("discovery.yaml:tags:\(appID)", "both sanctioned and unsanctioned")
            }
        }
        return issues
    }

    /// Lowercase letters, digits and dashes.
    package static func isSlug(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }

    /// An ASCII host name: labels of letters, digits, `-` and `_`, 1–63 bytes each, 253 in all.
    package static func isHostname(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 253 else { return false }
        for label in s.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.utf8.count <= 63,
                label.utf8.allSatisfy({
                    ($0 >= 97 && $0 <= 122) || ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 95
                })
            else { return false }
        }
        return true
    }
}
