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
    package mutating func consume(_ event: LineSplitter.Event) -> TrafficRecord? {
        var record: TrafficRecord?
        consume(event) { record = $0 }
        return record
    }

    /// Parses one splitter event and hands a record, if the line made one, to `sink` without copying it out.
    @inline(__always)
    package mutating func consume(_ event: LineSplitter.Event, into sink: (TrafficRecord) -> Void) {
        switch event {
        case .overlong(let number):
            statistics.lines += 1
            statistics.countRejected(.overlongLine, source: source, line: number)
        case .line(let bytes, let number):
            if case .record(let record) = parse(line: bytes, number: number) { sink(record) }
        }
    }

    /// Parses one line.
    package mutating func consume(line: Bytes, number: Int) -> TrafficRecord? {
        if case .record(let record) = parse(line: line, number: number) { return record }
        return nil
    }

    /// Parses one line and counts its outcome.
    @inline(__always)
    private mutating func parse(line: Bytes, number: Int) -> ParseResult {
        statistics.lines += 1
        statistics.bytes += Int64(line.count + 1)
        if line.trimmed.isEmpty {
            statistics.countIgnored(.emptyLine, source: source, line: number)
            return .ignored(.emptyLine)
        }
        if line.containsBinary {
            statistics.countRejected(.binaryData, source: source, line: number)
            return .rejected(.binaryData)
        }
        let result = parser.parse(line, context: context)
        switch result {
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
        return result
    }
}
