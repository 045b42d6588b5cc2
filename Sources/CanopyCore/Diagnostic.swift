/// Why a line was not turned into a record: a stable kebab-case code, bounded for metrics.
///
/// As a dictionary key it encodes as its code (`{"not-this-format": …}`), like a `String`, not as a key/value array.
package struct ReasonCode: RawRepresentable, Sendable, Hashable, Codable, CodingKeyRepresentable, Comparable,
    CustomStringConvertible
{
    package let rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }
    package init(_ rawValue: String) { self.rawValue = rawValue }
    package var description: String { rawValue }
    package static func < (lhs: ReasonCode, rhs: ReasonCode) -> Bool { lhs.rawValue < rhs.rawValue }

    // Rejections: the line was meant to be traffic but could not be read.
    /// The line does not have the shape of this format at all.
    package static let notThisFormat = ReasonCode("not-this-format")
    /// Fewer fields than the format requires (a truncated line).
    package static let truncated = ReasonCode("truncated-line")
    /// The time field is missing, unparseable or an impossible date.
    package static let badTimestamp = ReasonCode("bad-timestamp")
    /// An IP address field is not an address.
    package static let badAddress = ReasonCode("bad-ip-address")
    /// A numeric field (bytes, port, status) is not a number.
    package static let badNumber = ReasonCode("bad-number")
    /// Neither a destination host, URL nor IP: nothing to attribute to an app.
    package static let noDestination = ReasonCode("no-destination")
    /// A quoted field or structure is not closed.
    package static let unbalancedQuotes = ReasonCode("unbalanced-quotes")
    /// Malformed JSON.
    package static let badJSON = ReasonCode("bad-json")
    /// Longer than the reader's line limit; the line is counted, not parsed.
    package static let overlongLine = ReasonCode("overlong-line")
    /// NUL or other control bytes that no text log carries.
    package static let binaryData = ReasonCode("binary-data")
    /// A header line this format requires (`#Fields:`) has not been seen yet.
    package static let missingHeader = ReasonCode("missing-header")
    /// A whole input (a file dropped into a watched folder) that could not be read: a damaged archive, no access.
    package static let unreadableInput = ReasonCode("unreadable-input")

    // Ignored: a well-formed line that carries no traffic (counted, never an error).
    /// Comments, `#` directives and column headers.
    package static let header = ReasonCode("header-or-comment")
    /// A well-formed event of a kind that is not a connection or request (system, config, VPN …).
    package static let notTraffic = ReasonCode("not-traffic-event")
    /// A connection-opened event; the connection is counted once, from its close event.
    package static let sessionStart = ReasonCode("session-start")
    /// An empty line.
    package static let emptyLine = ReasonCode("empty-line")
}

/// A problem with one input line, with where it happened. It never carries the line's text.
package struct Diagnostic: Sendable, Hashable, Codable {
    package var reason: ReasonCode
    /// The input (file or archive member) the line came from.
    package var source: String
    /// 1-based line number within ``source``.
    package var line: Int

    package init(reason: ReasonCode, source: String, line: Int) {
        self.reason = reason
        self.source = source
        self.line = line
    }
}
