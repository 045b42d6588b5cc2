/// The admin's tuning of the risk score: weights, how unknown values count, and per-app overrides.
package struct ScoringSettings: Sendable, Hashable, Codable {
    /// What an attribute with no known value does to the score.
    package enum UnknownValues: String, Sendable, Hashable, Codable {
        /// Left out of the average (the default, as in the reference product).
        case ignore
        /// Counted as the worst value (0).
        case penalize
    }

    /// A fixed score for one app, with the admin's reason.
    package struct Override: Sendable, Hashable, Codable {
        package var score: Double
        package var note: String
        package init(score: Double, note: String) {
            self.score = score
            self.note = note
        }
    }

    package var unknownValues: UnknownValues
    /// Group weights; a missing group uses ``defaultGroupWeights``.
    package var groupWeights: [RiskGroup: RiskWeight]
    /// Attribute weights that replace the catalog's default weight.
    package var attributeWeights: [String: RiskWeight]
    /// Per-app score overrides.
    package var overrides: [String: Override]

    package static let defaultGroupWeights: [RiskGroup: RiskWeight] = [
        .general: .medium, .security: .high, .compliance: .high, .legal: .medium,
    ]

    package init(
        unknownValues: UnknownValues = .ignore,
        groupWeights: [RiskGroup: RiskWeight] = [:],
        attributeWeights: [String: RiskWeight] = [:],
        overrides: [String: Override] = [:]
    ) {
        self.unknownValues = unknownValues
        self.groupWeights = groupWeights
        self.attributeWeights = attributeWeights
        self.overrides = overrides
    }

    package func weight(of group: RiskGroup) -> RiskWeight {
        groupWeights[group] ?? Self.defaultGroupWeights[group] ?? .medium
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unknownValues = try c.decodeIfPresent(UnknownValues.self, forKey: .unknownValues) ?? .ignore
        let groups = try c.decodeIfPresent([String: RiskWeight].self, forKey: .groupWeights) ?? [:]
        var g: [RiskGroup: RiskWeight] = [:]
        for (k, v) in groups {
            guard let group = RiskGroup(rawValue: k) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .groupWeights,
                    in: c,
                    debugDescription: "unknown group \(k)"
                )
            }
            g[group] = v
        }
        groupWeights = g
        attributeWeights = try c.decodeIfPresent([String: RiskWeight].self, forKey: .attributeWeights) ?? [:]
        overrides = try c.decodeIfPresent([String: Override].self, forKey: .overrides) ?? [:]
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(unknownValues, forKey: .unknownValues)
        try c.encode(
            Dictionary(uniqueKeysWithValues: groupWeights.map { ($0.key.rawValue, $0.value) }),
            forKey: .groupWeights
        )
        try c.encode(attributeWeights, forKey: .attributeWeights)
        try c.encode(overrides, forKey: .overrides)
    }

    private enum CodingKeys: String, CodingKey {
        case unknownValues, groupWeights, attributeWeights, overrides
    }
}
