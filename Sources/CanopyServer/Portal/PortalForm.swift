import Foundation
import Hummingbird

/// A submitted `application/x-www-form-urlencoded` form: every value of every field, in order.
struct PortalForm: Sendable {
    private(set) var fields: [(String, String)] = []

    /// The largest form body the portal reads.
    static let maximumSize = 1 << 20

    init(_ text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            fields.append((name, value))
        }
    }

    /// The body of `request` as a form (at most ``maximumSize`` bytes).
    static func read(_ request: inout Request) async throws -> PortalForm {
        let buffer = try await request.collectBody(upTo: maximumSize)
        return PortalForm(String(decoding: buffer.readableBytesView, as: UTF8.self))
    }

    private static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The first value of `name`.
    subscript(_ name: String) -> String? { fields.first { $0.0 == name }?.1 }

    /// Every value of `name` (checkbox lists).
    func all(_ name: String) -> [String] { fields.filter { $0.0 == name }.map(\.1) }
}
