/// Computes an app's 0–10 risk score the way the reference product does, and explains it factor by factor.
///
/// Each attribute is scored 0–10 (higher is safer). Within a group, scores are averaged weighted by attribute
/// weight (Ignored/Low/Medium/High/Very High = 0/1/2/4/8); the total averages the group scores weighted by group
/// weight. Unknown values are left out or counted as 0, per ``ScoringSettings/unknownValues``. An override
/// replaces the computed total. An app with nothing known (and unknowns ignored) has no score.
package struct RiskScorer: Sendable {
    package let catalog: AppCatalog
    package let settings: ScoringSettings
    /// The current year, for scoring founding years and breach dates (injected so results are reproducible).
    package let currentYear: Int
    package let currentMonth: Int

    package init(catalog: AppCatalog, settings: ScoringSettings, currentYear: Int, currentMonth: Int = 1) {
        self.catalog = catalog
        self.settings = settings
        self.currentYear = currentYear
        self.currentMonth = currentMonth
    }

    /// The score of one attribute's value, 0–10; nil for informational attributes or values that do not fit.
    package func score(_ attribute: RiskAttribute, _ value: RiskValue) -> Double? {
        switch (attribute.kind, value) {
        case (.boolean, .bool(let b)):
            return b == (attribute.good ?? true) ? 10 : 0
        case (.level, .text(let t)):
            return attribute.levels?[t]
        case (.level, .bool(let b)):
            return attribute.levels?[b ? "true" : "false"]
        case (.year, .number(let year)):
            let age = currentYear - year
            switch age {
            case 20...: return 10
            case 10..<20: return 8
            case 5..<10: return 6
            case 2..<5: return 4
            default: return 2
            }
        case (.breach, .text(let t)):
            if t == "none" { return 10 }
            let parts = t.split(separator: "-")
            guard let y = parts.first.flatMap({ Int($0) }) else { return nil }
            let m = parts.count > 1 ? Int(parts[1]) ?? 1 : 1
            let months = (currentYear - y) * 12 + (currentMonth - m)
            switch months {
            case ..<12: return 0
            case 12..<24: return 3
            case 24..<48: return 6
            default: return 8
            }
        default:
            return nil
        }
    }

    /// The explained score of an app.
    package func explain(appID: String) -> RiskExplanation {
        let facts = catalog.facts[appID]?.attributes ?? [:]
        var groups: [RiskExplanation.Group] = []
        var totalWeighted = 0.0
        var totalWeight = 0.0
        var scorable = 0
        var known = 0
        for group in RiskGroup.allCases {
            let groupWeight = settings.weight(of: group)
            var factors: [RiskExplanation.Factor] = []
            var sum = 0.0
            var weights = 0.0
            for attribute in catalog.attributes where attribute.group == group {
                let weight = settings.attributeWeights[attribute.id] ?? attribute.weight
                let fact = facts[attribute.id]
                var attributeScore: Double? = nil
                var counted = false
                if attribute.kind != .text {
                    scorable += 1
                    if let fact, score(attribute, fact.value) != nil { known += 1 }
                    if let fact {
                        attributeScore = score(attribute, fact.value)
                    } else if settings.unknownValues == .penalize {
                        attributeScore = 0
                    }
                    if let s = attributeScore, weight.factor > 0 {
                        sum += s * weight.factor
                        weights += weight.factor
                        counted = true
                    }
                }
                factors.append(
                    RiskExplanation.Factor(
                        attribute: attribute.id,
                        name: attribute.name,
                        value: fact?.value.description,
                        score: attributeScore,
                        weight: weight,
                        counted: counted,
                        source: fact?.source
                    )
                )
            }
            let groupScore = weights > 0 ? sum / weights : nil
            if let groupScore, groupWeight.factor > 0 {
                totalWeighted += groupScore * groupWeight.factor
                totalWeight += groupWeight.factor
            }
            groups.append(RiskExplanation.Group(group: group, weight: groupWeight, score: groupScore, factors: factors))
        }
        let computed = totalWeight > 0 ? totalWeighted / totalWeight : nil
        let override = settings.overrides[appID]
        let final = override.map { min(10, max(0, $0.score)) } ?? computed
        return RiskExplanation(
            app: appID,
            score: final,
            computedScore: computed,
            override: override,
            groups: groups,
            unknownValues: settings.unknownValues,
            knownAttributes: known,
            scoredAttributes: scorable
        )
    }

    /// The final score of an app (override, or computed), or nil when nothing is known.
    package func score(appID: String) -> Double? { explain(appID: appID).score }
}

/// An app's score with every factor that went into it.
package struct RiskExplanation: Sendable, Hashable, Codable {
    /// One attribute's part in the score.
    package struct Factor: Sendable, Hashable, Codable {
        package var attribute: String
        package var name: String
        /// The known value, or nil when unknown.
        package var value: String?
        /// The attribute's 0–10 score (nil: unknown and ignored, or informational).
        package var score: Double?
        package var weight: RiskWeight
        /// Whether it counted in the group average.
        package var counted: Bool
        package var source: String?
    }

    /// One group's part in the total.
    package struct Group: Sendable, Hashable, Codable {
        package var group: RiskGroup
        package var weight: RiskWeight
        package var score: Double?
        package var factors: [Factor]
    }

    package var app: String
    /// The final score 0–10: the override if any, else the computed one; nil when nothing is known.
    package var score: Double?
    package var computedScore: Double?
    package var override: ScoringSettings.Override?
    package var groups: [Group]
    package var unknownValues: ScoringSettings.UnknownValues
    /// How many scored attributes have a known value, of how many: a score built on 3 of 80 attributes says less
    /// than one built on 60, and reports show this next to the score.
    package var knownAttributes: Int
    package var scoredAttributes: Int

    /// The risk level band of the final score.
    package var level: RiskLevel { RiskLevel(score: score) }
}

/// Risk bands over the 0–10 score (higher is safer): low 8–10, medium 5–7, high 0–4 (rounded score).
package enum RiskLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case low
    case medium
    case high
    /// Nothing known about the app.
    case unscored

    package init(score: Double?) {
        guard let score else {
            self = .unscored
            return
        }
        let rounded = (score).rounded()
        self = rounded >= 8 ? .low : rounded >= 5 ? .medium : .high
    }
}
