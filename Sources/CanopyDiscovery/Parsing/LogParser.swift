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

    /// Stores a record in `record` and says what the line was: for helpers that build a whole result.
    @inline(__always)
    package func deliver(into record: inout TrafficRecord) -> LineOutcome {
        switch self {
        case .record(let r):
            record = r
            return .record
        case .ignored(let reason): return .ignored(reason)
        case .rejected(let reason): return .rejected(reason)
        }
    }
}

/// What a parser made of one line when it fills a record in place: ``ParseResult`` without the payload.
package enum LineOutcome: Sendable, Equatable {
    /// The record passed to the parser now holds a request or connection.
    case record
    /// A well-formed line that carries no traffic: counted, not an error.
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
    /// Parses one line, without its line terminator, into `record`, which is empty (`TrafficRecord()`) on entry:
    /// filling it in place saves copying a record per line. What `record` holds after a line that is not a
    /// record does not matter.
    mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome

    /// Cuts `chunk` into lines with `splitter`, parses each one, counts its outcome in `statistics` (diagnostics
    /// name `source`) and hands each record to `sink`, in place, with the ids of its host and user in `symbols`
    /// when given (``RecordSymbols``).
    ///
    /// Parsers do not implement this: the default below is a protocol requirement so that every parser type gets
    /// its own specialized copy of the loop, with `parse` inlined and no dynamic dispatch or record copy per line
    /// (one dynamic call per chunk instead).
    mutating func parseLines(
        of chunk: Bytes,
        splitter: inout LineSplitter,
        context: ParseContext,
        statistics: inout ParseStatistics,
        source: String,
        symbols: FieldSymbols?,
        sink: (inout TrafficRecord) -> Void
    )
}

extension LogParser {
    /// Parses one line, without its line terminator (tests, format detection).
    package mutating func parse(_ line: Bytes, context: ParseContext) -> ParseResult {
        var record = TrafficRecord()
        switch parse(line, context: context, into: &record) {
        case .record: return .record(record)
        case .ignored(let reason): return .ignored(reason)
        case .rejected(let reason): return .rejected(reason)
        }
    }

    package mutating func parseLines(
        of chunk: Bytes,
        splitter: inout LineSplitter,
        context: ParseContext,
        statistics: inout ParseStatistics,
        source: String,
        symbols: FieldSymbols?,
        sink: (inout TrafficRecord) -> Void
    ) {
        let tables = symbols?.tables
        splitter.feed(
            chunk,
            lines: { line, number, binary in
                // A record per line, local to this closure: handed to `sink` without a copy.
                var record = TrafficRecord()
                record.symbols.tables = tables
                let outcome = countedParse(line, number: number, context, &statistics, source, binary, into: &record)
                record.symbols.tables = nil
                // In place: passing the record by value made a copy of its 264 bytes per line.
                if outcome == .record { sink(&record) }
            },
            overlong: { number in
                statistics.lines += 1
                statistics.countRejected(.overlongLine, source: source, line: number)
            }
        )
    }

    /// Parses line `number` into `record` (empty on entry) and counts its outcome in `statistics` (diagnostics
    /// name `source`): empty lines are ignored and binary ones rejected before `parse` sees them (`binary`: whether
    /// the line holds a control byte, when the caller already knows).
    @inline(__always)
    package mutating func countedParse(
        _ line: Bytes,
        number: Int,
        _ context: ParseContext,
        _ statistics: inout ParseStatistics,
        _ source: String,
        _ binary: Bool? = nil,
        into record: inout TrafficRecord
    ) -> LineOutcome {
        statistics.lines += 1
        statistics.bytes += Int64(line.count + 1)
        if line.trimmed.isEmpty {
            statistics.countIgnored(.emptyLine, source: source, line: number)
            return .ignored(.emptyLine)
        }
        if binary ?? line.containsBinary {
            statistics.countRejected(.binaryData, source: source, line: number)
            return .rejected(.binaryData)
        }
        let outcome = parse(line, context: context, into: &record)
        switch outcome {
        case .record:
            statistics.records += 1
        case .ignored(let reason):
            statistics.countIgnored(reason, source: source, line: number)
        case .rejected(let reason):
            if reason == .emptyLine {
                statistics.countIgnored(reason, source: source, line: number)
            } else {
                statistics.countRejected(reason, source: source, line: number)
            }
        }
        return outcome
    }
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
