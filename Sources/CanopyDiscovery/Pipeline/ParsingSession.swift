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

    /// Parses one splitter event and hands a record, if the line made one, to `sink`.
    package mutating func consume(_ event: LineSplitter.Event, into sink: (TrafficRecord) -> Void) {
        switch event {
        case .overlong(let number):
            statistics.lines += 1
            statistics.countRejected(.overlongLine, source: source, line: number)
        case .line(let bytes, let number):
            if let record = consume(line: bytes, number: number) { sink(record) }
        }
    }

    /// Cuts a chunk into lines with `splitter` and parses them all, handing records to `sink`: the hot path, one
    /// dynamic call per chunk into a loop specialized for the parser's type
    /// (``LogParser/parseLines(of:splitter:context:statistics:source:symbols:sink:)``). `symbols` are the tables of
    /// the sink the records go to (``TrafficSink/symbols``).
    package mutating func consume(
        chunk: Bytes,
        splitter: inout LineSplitter,
        symbols: FieldSymbols? = nil,
        into sink: (inout TrafficRecord) -> Void
    ) {
        parser.parseLines(
            of: chunk,
            splitter: &splitter,
            context: context,
            statistics: &statistics,
            source: source,
            symbols: symbols,
            sink: sink
        )
    }

    /// Counts line `number` as rejected for `reason` without parsing it: for units the transport already found
    /// unreadable (a syslog message over the length limit, one cut off by the end of its stream).
    package mutating func countRejected(_ reason: ReasonCode, line number: Int) {
        statistics.lines += 1
        statistics.countRejected(reason, source: source, line: number)
    }

    /// Parses one line.
    package mutating func consume(line: Bytes, number: Int) -> TrafficRecord? {
        var record = TrafficRecord()
        let outcome = parser.countedParse(line, number: number, context, &statistics, source, into: &record)
        return outcome == .record ? record : nil
    }
}
