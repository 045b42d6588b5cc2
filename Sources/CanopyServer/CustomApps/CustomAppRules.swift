import CanopyCore
import CanopyDiscovery
import CanopyStore
import Foundation

/// A custom app as admins send it (API body, portal form), before it is checked.
struct CustomAppInput: Codable, Sendable {
    var id: String?
    var name: String
    var vendor: String?
    var category: String
    var domains: [String]?
    var ipRanges: [String]?
    var score: Double?
    var note: String?
}

/// What a checked ``CustomAppInput`` holds.
struct CheckedCustomApp: Sendable, Equatable {
    var name: String
    var vendor: String?
    var category: String
    var domains: [String]
    var ipRanges: [String]
    var score: Double?
    var note: String
}

/// Checks a ``CustomAppInput`` against the catalog: a name of 1–100 characters and a vendor of at most 100 (no control
/// characters), a catalog category, 1–200 domain suffixes and IP ranges together (at least one of either; domains
/// lowercased, IDNs as punycode, a leading `*.` or `.` dropped; a bare address is a /32 or /128), a score 0–10 or
/// none, a note of at most 500 characters. Domains and ranges come back normalized, duplicates removed.
enum CustomAppValidation {
    static let maxRules = 200

    static func check(
        _ input: CustomAppInput,
        categories: [CatalogCategory]
    ) throws(CustomAppInvalid)
        -> CheckedCustomApp
    {
        let name = input.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 100, !hasControl(name) else {
            throw CustomAppInvalid("the name must be 1 to 100 characters, without control characters")
        }
        let vendor = input.vendor?.trimmingCharacters(in: .whitespaces)
        if let vendor, vendor.count > 100 || hasControl(vendor) {
            throw CustomAppInvalid("the vendor must be at most 100 characters, without control characters")
        }
        guard categories.contains(where: { $0.id == input.category }) else {
            throw CustomAppInvalid("the category must be a catalog category id, such as business-management")
        }
        var domains: [String] = []
        for entry in (input.domains ?? []).map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            var domain = Substring(entry.lowercased())
            if domain.hasPrefix("*.") { domain = domain.dropFirst(2) }
            if domain.hasPrefix(".") { domain = domain.dropFirst() }
            if domain.hasSuffix(".") { domain = domain.dropLast() }
            guard let ascii = Punycode.asciiHost(String(domain)), CatalogValidator.isHostname(ascii),
                ascii.contains("."), IPAddress(ascii) == nil
            else { throw CustomAppInvalid("\(entry) is not a domain such as erp.example.com") }
            if !domains.contains(ascii) { domains.append(ascii) }
        }
        var ranges: [String] = []
        for entry in (input.ipRanges ?? []).map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            guard let range = IPRange(entry) else {
                throw CustomAppInvalid("\(entry) is not an address or a CIDR block such as 203.0.113.0/24")
            }
            if !ranges.contains(range.description) { ranges.append(range.description) }
        }
        guard !(domains.isEmpty && ranges.isEmpty), domains.count + ranges.count <= maxRules else {
            throw CustomAppInvalid("an app needs 1 to \(maxRules) domains and IP ranges")
        }
        if let score = input.score, !score.isFinite || !(0...10).contains(score) {
            throw CustomAppInvalid("the score is from 0 to 10, or absent for none")
        }
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 500, !note.unicodeScalars.contains(where: { $0 != "\n" && isControl($0) }) else {
            throw CustomAppInvalid("the note must be at most 500 characters")
        }
        return CheckedCustomApp(
            name: name,
            vendor: vendor?.isEmpty == false ? vendor : nil,
            category: input.category,
            domains: domains,
            ipRanges: ranges,
            score: input.score,
            note: note
        )
    }

    private static func hasControl(_ s: String) -> Bool { s.unicodeScalars.contains(where: isControl) }

    private static func isControl(_ u: Unicode.Scalar) -> Bool { u.properties.generalCategory == .control }
}

struct CustomAppInvalid: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// A custom app as the API answers it.
struct CustomAppItem: Encodable {
    var id: String
    var name: String
    var vendor: String?
    var category: String
    var domains: [String]
    var ipRanges: [String]
    var score: Double?
    var note: String
    var createdBy: String
    var createdAt: Int64
    var updatedBy: String
    var updatedAt: Int64

    init(_ a: CustomAppRecord) {
        (id, name, vendor, category, domains, ipRanges) = (a.id, a.name, a.vendor, a.category, a.domains, a.ipRanges)
        (score, note) = (a.score, a.note)
        (createdBy, createdAt, updatedBy, updatedAt) = (a.createdBy, a.createdAt, a.updatedBy, a.updatedAt)
    }

    static let csvHeader = [
        "id", "name", "vendor", "category", "domains", "ipRanges", "score", "note", "createdBy", "createdAt",
        "updatedBy", "updatedAt",
    ]

    var csvRow: [String] {
        [
            id, name, vendor ?? "", category, domains.joined(separator: " "), ipRanges.joined(separator: " "),
            score.map { String($0) } ?? "", note, createdBy, String(createdAt), updatedBy, String(updatedAt),
        ]
    }
}
