import CanopyCore
import CanopyStore
import Foundation

/// The categories of an IP address range, as the reference product names them.
enum IPRangeCategory: String, CaseIterable, Sendable, Codable {
    case corporate
    case administrative
    case risky
    case vpn
    case cloudProvider = "cloud-provider"

    var title: String {
        switch self {
        case .corporate: "Corporate"
        case .administrative: "Administrative"
        case .risky: "Risky"
        case .vpn: "VPN"
        case .cloudProvider: "Cloud provider"
        }
    }
}

/// An IP range as admins send it (API body, portal form), before it is checked.
struct IPRangeInput: Codable, Sendable {
    var name: String
    var category: String
    var blocks: [String]
    var tags: [String]?
}

/// Checks an ``IPRangeInput``: a name of 1–100 characters without control characters, a known category, 1–1,000
/// address blocks (a bare address is a /32 or /128), at most 20 tags of 1–40 letters, digits, `-`, `_` or `.`.
/// Blocks come back normalized (`10.1.2.3/8` → `10.0.0.0/8`), duplicates removed.
enum IPRangeValidation {
    static let maxBlocks = 1_000

    static func check(
        _ input: IPRangeInput
    ) throws(IPRangeInvalid) -> (
        name: String, category: IPRangeCategory, blocks: [String], tags: [String]
    ) {
        let name = input.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 100,
            !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw IPRangeInvalid("the name must be 1 to 100 characters, without control characters") }
        guard let category = IPRangeCategory(rawValue: input.category) else {
            throw IPRangeInvalid(
                "the category must be one of \(IPRangeCategory.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        var blocks: [String] = []
        for entry in input.blocks.map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            guard let range = IPRange(entry) else {
                throw IPRangeInvalid("\(entry) is not an address or a CIDR block such as 10.0.0.0/8")
            }
            if !blocks.contains(range.description) { blocks.append(range.description) }
        }
        guard !blocks.isEmpty, blocks.count <= maxBlocks else {
            throw IPRangeInvalid("a range needs 1 to \(maxBlocks) address blocks")
        }
        var tags: [String] = []
        for tag in (input.tags ?? []).map({ $0.trimmingCharacters(in: .whitespaces) }) where !tag.isEmpty {
            if !tags.contains(tag) { tags.append(tag) }
        }
        guard tags.count <= 20 else { throw IPRangeInvalid("at most 20 tags") }
        for tag in tags {
            guard tag.count <= 40, tag.unicodeScalars.allSatisfy({ Self.tagCharacters.contains($0) }) else {
                throw IPRangeInvalid("tag \(tag) must be 1 to 40 letters, digits, -, _ or .")
            }
        }
        return (name, category, blocks, tags)
    }

    private static let tagCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
}

struct IPRangeInvalid: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// The stored ranges, ready to answer which one an address falls in: the most specific block wins (a /24 inside a
/// /16), then the range listed first.
struct IPRangeTable: Sendable {
    private let entries: [(block: IPRange, record: IPRangeRecord)]

    init(_ records: [IPRangeRecord]) {
        entries =
            records.flatMap { record in record.blocks.compactMap { IPRange($0) }.map { ($0, record) } }
            .enumerated().sorted { a, b in
                a.element.0.prefixLength != b.element.0.prefixLength
                    ? a.element.0.prefixLength > b.element.0.prefixLength : a.offset < b.offset
            }
            .map(\.element)
    }

    var isEmpty: Bool { entries.isEmpty }

    /// The range `address` (text, as logs give it) falls in, if any.
    func range(of address: String) -> IPRangeRecord? {
        guard !entries.isEmpty, let ip = IPAddress(address) else { return nil }
        return entries.first { $0.block.contains(ip) }?.record
    }
}
