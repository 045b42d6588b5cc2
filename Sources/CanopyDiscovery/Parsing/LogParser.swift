package import CanopyCore

/// A line of input as raw bytes. Valid only for the duration of one `parse` call: never store it.
package typealias Bytes = UnsafeBufferPointer<UInt8>

/// What a parser made of one line.
package enum ParseResult: Sendable {
    /// A request or connection.
    case record(TrafficRecord)
    /// A well-formed line that carries no traffic (a header, a comment, a system event): counted, not an error.
    case ignored(ReasonCode)
    /// A line this parser could not read: counted under its reason with its line number.
    case rejected(ReasonCode)
}

/// Settings that hold for a whole input.
package struct ParseContext: Sendable {
    /// The year for timestamps that carry none (classic syslog `Jan  2 03:04:05`).
    package var defaultYear: Int
    /// Whether to keep the URL and User-Agent strings. Reports do not need them; golden tests and exports do.
    package var capturesDetail: Bool

    package init(defaultYear: Int = 2026, capturesDetail: Bool = true) {
        self.defaultYear = defaultYear
        self.capturesDetail = capturesDetail
    }
}

/// Describes one log format: shown by `canopy discover formats` and documented in docs/discovery.md.
package struct ParserDescriptor: Sendable, Hashable {
    /// Stable id, `vendor.format` in lowercase ASCII.
    package let id: String
    /// Vendor and product, e.g. "Palo Alto Networks PAN-OS".
    package let product: String
    /// What the format is and where its definition comes from.
    package let summary: String
    /// A representative line, used in the format list and in sniffing tests.
    package let sample: String
    /// The ``FieldCatalog`` ids this parser can emit.
    package let fields: [String]
    /// Generic formats (plain CEF, LEEF, W3C) lose ties against vendor-specific ones when sniffing.
    package let isGeneric: Bool

    package init(
        id: String,
        product: String,
        summary: String,
        sample: String,
        fields: [String],
        isGeneric: Bool = false
    ) {
        self.id = id
        self.product = product
        self.summary = summary
        self.sample = sample
        self.fields = fields
        self.isGeneric = isGeneric
    }
}

/// Turns lines of one log format into ``TrafficRecord``s.
///
/// Parsers are value types made per input; `parse` is `mutating` so that header-driven formats (W3C `#Fields:`,
/// Zeek `#fields`, CSV with a header row) can remember the columns. A parser must never trap on any input.
package protocol LogParser: Sendable {
    var descriptor: ParserDescriptor { get }
    /// Parses one line, without its line terminator.
    mutating func parse(_ line: Bytes, context: ParseContext) -> ParseResult
}

/// A parser that ships with Canopy and is listed in ``BuiltinParsers``.
package protocol BuiltinLogParser: LogParser {
    static var descriptor: ParserDescriptor { get }
    init()
}

extension BuiltinLogParser {
    package var descriptor: ParserDescriptor { Self.descriptor }
}

extension LogParser {
    /// Parses a `String` line; for tests and tools, not the hot path.
    package mutating func parse(string line: String, context: ParseContext = ParseContext()) -> ParseResult {
        var bytes = Array(line.utf8)
        return bytes.withUnsafeMutableBufferPointer { parse(Bytes($0), context: context) }
    }
}
