/// Catalog entries read with ``JSONCursor`` rather than `JSONDecoder`: the same fields, optionality and types as
/// their `Codable` conformances, unknown keys skipped. Any other shape (a duplicate field, a type `Codable` would
/// convert or reject) throws, and ``AppCatalog/load(_:)`` decodes the file with `JSONDecoder` instead.
extension CatalogApp {
    package init(catalogLine line: Bytes) throws(JSONCursor.Unexpected) {
        var c = JSONCursor(line)
        var id: String?
        var name: String?
        var vendor: String?
        var category: String?
        var domains: [String]?
        var hosts: [String]?
        var ipRanges: [String]?
        var website: String?
        var source: String?
        var seen = SeenKeys()
        try c.object { c, key throws(JSONCursor.Unexpected) in
            switch key {
            case "id":
                try seen.mark(0)
                id = try c.string()
            case "name":
                try seen.mark(1)
                name = try c.string()
            case "vendor":
                try seen.mark(2)
                vendor = try c.null() ? nil : c.string()
            case "category":
                try seen.mark(3)
                category = try c.string()
            case "domains":
                try seen.mark(4)
                domains = try c.stringArray()
            case "hosts":
                try seen.mark(5)
                hosts = try c.null() ? nil : c.stringArray()
            case "ipRanges":
                try seen.mark(6)
                ipRanges = try c.null() ? nil : c.stringArray()
            case "website":
                try seen.mark(7)
                website = try c.null() ? nil : c.string()
            case "source":
                try seen.mark(8)
                source = try c.null() ? nil : c.string()
            default: try c.skipValue()
            }
        }
        guard c.atEnd(), let id, let name, let category, let domains else { throw JSONCursor.Unexpected() }
        self.init(
            id: id,
            name: name,
            vendor: vendor,
            category: category,
            domains: domains,
            hosts: hosts,
            ipRanges: ipRanges,
            website: website,
            source: source
        )
    }
}

extension AppRiskFacts {
    package init(catalogLine line: Bytes) throws(JSONCursor.Unexpected) {
        var c = JSONCursor(line)
        var app: String?
        var asOf: String?
        var attributes: [String: RiskFact]?
        var seen = SeenKeys()
        try c.object { c, key throws(JSONCursor.Unexpected) in
            switch key {
            case "app":
                try seen.mark(0)
                app = try c.string()
            case "asOf":
                try seen.mark(1)
                asOf = try c.null() ? nil : c.string()
            case "attributes":
                try seen.mark(2)
                var facts: [String: RiskFact] = [:]
                try c.object { c, attribute throws(JSONCursor.Unexpected) in
                    guard facts[attribute] == nil else { throw JSONCursor.Unexpected() }
                    facts[attribute] = try RiskFact(cursor: &c)
                }
                attributes = facts
            default: try c.skipValue()
            }
        }
        guard c.atEnd(), let app, let attributes else { throw JSONCursor.Unexpected() }
        self.init(app: app, asOf: asOf, attributes: attributes)
    }
}

extension RiskFact {
    fileprivate init(cursor c: inout JSONCursor) throws(JSONCursor.Unexpected) {
        var value: RiskValue?
        var source: String?
        var date: String?
        var seen = SeenKeys()
        try c.object { c, key throws(JSONCursor.Unexpected) in
            switch key {
            case "value":
                try seen.mark(0)
                value = try RiskValue(cursor: &c)
            case "source":
                try seen.mark(1)
                source = try c.null() ? nil : c.string()
            case "date":
                try seen.mark(2)
                date = try c.null() ? nil : c.string()
            default: try c.skipValue()
            }
        }
        guard let value else { throw JSONCursor.Unexpected() }
        self.init(value: value, source: source, date: date)
    }
}

extension RiskValue {
    /// A boolean, an integer or a string, as ``init(from:)`` tries them.
    fileprivate init(cursor c: inout JSONCursor) throws(JSONCursor.Unexpected) {
        switch try c.peek() {
        case UInt8(ascii: "t"), UInt8(ascii: "f"): self = .bool(try c.bool())
        case UInt8(ascii: "\""): self = .text(try c.string())
        default: self = .number(try c.integer())
        }
    }
}

/// The known keys of one object already read: a repeated one throws (`JSONDecoder` decides what it means).
private struct SeenKeys {
    private var bits: UInt32 = 0

    mutating func mark(_ key: Int) throws(JSONCursor.Unexpected) {
        let bit: UInt32 = 1 << key
        guard bits & bit == 0 else { throw JSONCursor.Unexpected() }
        bits |= bit
    }
}
