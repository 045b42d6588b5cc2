package import CanopyCore

/// Runs one parser over the lines of one input and counts every outcome.
///
/// Pure: the caller supplies lines (from ``LineSplitter``) and receives records; statistics say what happened to
/// each line. Binary lines are rejected before the parser sees them.
package struct ParsingSession: Sendable {
    package private(set) var parser: any LogParser
    package let context: ParseContext
    package private(set) var statistics = ParseStatistics()
    /// The input name used in diagnostics (file name or archive member).
    package var source: String

    package init(parser: any LogParser, context: ParseContext, source: String) {
        self.parser = parser
        self.context = context
        self.source = source
    }

    /// Parses one splitter event; returns the record, if the line made one.
    @inline(__always)
    package mutating func consume(_ event: LineSplitter.Event) -> TrafficRecord? {
        switch event {
        case .overlong(let number):
            statistics.lines += 1
            statistics.countRejected(.overlongLine, source: source, line: number)
            return nil
        case .line(let bytes, let number):
            return consume(line: bytes, number: number)
        }
    }

    /// Parses one line.
    package mutating func consume(line: Bytes, number: Int) -> TrafficRecord? {
        statistics.lines += 1
        statistics.bytes += Int64(line.count + 1)
        if line.trimmed.isEmpty {
            statistics.countIgnored(.emptyLine, source: source, line: number)
            return nil
        }
        if line.containsBinary {
            statistics.countRejected(.binaryData, source: source, line: number)
            return nil
        }
        switch parser.parse(line, context: context) {
        case .record(let record):
            statistics.records += 1
            return record
        case .ignored(let reason):
            statistics.countIgnored(reason, source: source, line: number)
            return nil
        case .rejected(let reason):
            if reason == .emptyLine {
                statistics.countIgnored(reason, source: source, line: number)
            } else {
                statistics.countRejected(reason, source: source, line: number)
            }
            return nil
        }
    }
}
