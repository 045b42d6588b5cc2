/// The four groups of risk attributes, as in the reference product.
package enum RiskGroup: String, Sendable, Hashable, Codable, CaseIterable {
    case general
    case security
    case compliance
    case legal

    package var title: String {
        switch self {
        case .general: "General"
        case .security: "Security"
        case .compliance: "Compliance"
        case .legal: "Legal"
        }
    }
}

/// How much an attribute or group counts: Ignored/Low/Medium/High/Very High = 0/1/2/4/8.
package enum RiskWeight: String, Sendable, Hashable, Codable, CaseIterable {
    case ignored
    case low
    case medium
    case high
    case veryHigh = "very-high"

    package var factor: Double {
        switch self {
        case .ignored: 0
        case .low: 1
        case .medium: 2
        case .high: 4
        case .veryHigh: 8
        }
    }
}

/// The definition of one risk attribute (`attributes.json`).
package struct RiskAttribute: Sendable, Hashable, Codable {
    /// How values of this attribute are scored.
    package enum Kind: String, Sendable, Hashable, Codable {
        /// true/false; `good` is the safe value (scores 10, the other 0).
        case boolean
        /// One of `levels`, each with its score 0–10.
        case level
        /// A founding year: older is more established.
        case year
        /// `none` or the `YYYY-MM` of the latest known breach.
        case breach
        /// Informational only; never scored.
        case text
    }

    package var id: String
    package var group: RiskGroup
    package var name: String
    package var description: String?
    package var kind: Kind
    package var good: Bool?
    package var levels: [String: Double]?
    package var weight: RiskWeight

    package init(
        id: String,
        group: RiskGroup,
        name: String,
        description: String? = nil,
        kind: Kind,
        good: Bool? = nil,
        levels: [String: Double]? = nil,
        weight: RiskWeight
    ) {
        self.id = id
        self.group = group
        self.name = name
        self.description = description
        self.kind = kind
        self.good = good
        self.levels = levels
        self.weight = weight
    }
}

/// A known attribute value: `true`, `false`, a level, a year, a breach date or text.
package enum RiskValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case bool(Bool)
    case number(Int)
    case text(String)

    package init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Int.self) {
            self = .number(n)
        } else {
            self = .text(try c.decode(String.self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .text(let t): try c.encode(t)
        }
    }

    package var description: String {
        switch self {
        case .bool(let b): b ? "true" : "false"
        case .number(let n): String(n)
        case .text(let t): t
        }
    }
}

/// A curated value with where it comes from.
package struct RiskFact: Sendable, Hashable, Codable {
    package var value: RiskValue
    package var source: String?
    package var date: String?

    package init(value: RiskValue, source: String? = nil, date: String? = nil) {
        self.value = value
        self.source = source
        self.date = date
    }
}

/// The curated risk facts of one app (`risk.jsonl`). An attribute that is absent is unknown.
package struct AppRiskFacts: Sendable, Hashable, Codable {
    package var app: String
    package var asOf: String?
    package var attributes: [String: RiskFact]

    package init(app: String, asOf: String? = nil, attributes: [String: RiskFact]) {
        self.app = app
        self.asOf = asOf
        self.attributes = attributes
    }
}
