import CanopyCore

/// Reads one input (a file, an archive member, stdin) chunk by chunk: sniffs its format from the first lines
/// (unless one was given), then parses every line into a ``TrafficSink`` (the snapshot report's aggregator, or the
/// store's). Constant memory.
package struct InputIngest: Sendable {
    /// The outcome of format detection.
    package enum Detection: Sendable {
        case chosen(parserID: String, confidence: Double)
        /// Nothing read the sample; the closest formats, best first.
        case unrecognized(closest: [FormatSniffer.Candidate])
    }

    private enum State: Sendable {
        case sniffing(chunks: [[UInt8]], lines: Int, bytes: Int)
        case parsing(ParsingSession, LineSplitter)
        case failed
    }

    package let source: String
    package let context: ParseContext
    private let forced: ParserFactory?
    private let candidates: [ParserFactory]
    private var state: State = .sniffing(chunks: [], lines: 0, bytes: 0)
    package private(set) var detection: Detection?
    /// Header lines of the sample (`#Fields:` …), for priming parsers of other chunks of the same file.
    package private(set) var headerLines: [[UInt8]] = []

    /// Starts reading an input named `source`. `parser` is used instead of sniffing when given (`--format`);
    /// otherwise sniffing chooses among `candidates`.
    package init(
        source: String,
        context: ParseContext,
        parser: ParserFactory? = nil,
        candidates: [ParserFactory] = BuiltinParsers.factories
    ) {
        self.source = source
        self.context = context
        self.forced = parser
        self.candidates = candidates
    }

    /// The statistics so far (complete after ``finish(into:)``).
    package var statistics: ParseStatistics {
        if case .parsing(let session, _) = state { return session.statistics }
        return ParseStatistics()
    }

    /// Feeds a chunk of the input.
    package mutating func feed<Sink: TrafficSink>(_ chunk: Bytes, into aggregator: inout Sink) {
        switch state {
        case .sniffing(var chunks, var lines, var bytes):
            chunks.append(Array(chunk))
            for b in chunk where b == 10 { lines += 1 }
            bytes += chunk.count
            if lines >= FormatSniffer.sampleLines || bytes >= 4 << 20 {
                state = .failed
                decide(chunks, &aggregator)
            } else {
                state = .sniffing(chunks: chunks, lines: lines, bytes: bytes)
            }
        case .parsing(var session, var splitter):
            state = .failed  // Release the session's storage so it is not copied on write.
            session.consume(chunk: chunk, splitter: &splitter, symbols: aggregator.symbols) { aggregator.add($0) }
            state = .parsing(session, splitter)
        case .failed:
            return
        }
    }

    /// Ends the input.
    package mutating func finish<Sink: TrafficSink>(into aggregator: inout Sink) {
        if case .sniffing(let chunks, _, _) = state {
            state = .failed
            decide(chunks, &aggregator)
        }
        if case .parsing(var session, var splitter) = state {
            state = .failed
            splitter.finish { event in
                session.consume(event) { aggregator.add($0) }
            }
            state = .parsing(session, splitter)
        }
    }

    private mutating func decide<Sink: TrafficSink>(_ chunks: [[UInt8]], _ aggregator: inout Sink) {
        var sample: [[UInt8]] = []
        var splitter = LineSplitter()
        for chunk in chunks where sample.count < FormatSniffer.sampleLines {
            chunk.withUnsafeBufferPointer { buffer in
                splitter.feed(buffer) { event in
                    if case .line(let line, _) = event, sample.count < FormatSniffer.sampleLines, !line.trimmed.isEmpty
                    {
                        sample.append(Array(line))
                    }
                }
            }
        }
        if sample.count < FormatSniffer.sampleLines {
            splitter.finish { event in
                if case .line(let line, _) = event, !line.trimmed.isEmpty { sample.append(Array(line)) }
            }
        }
        let factory: ParserFactory
        if let forced {
            factory = forced
            detection = .chosen(parserID: forced.descriptor.id, confidence: 1)
        } else {
            let ranking = FormatSniffer.rank(sample: sample, parsers: candidates, context: context)
            guard let best = ranking.first, best.records > 0,
                let chosen = candidates.first(where: { $0.descriptor.id == best.parserID })
            else {
                detection = .unrecognized(closest: Array(ranking.prefix(3)))
                state = .failed
                return
            }
            factory = chosen
            detection = .chosen(parserID: best.parserID, confidence: best.confidence)
        }
        // Remember header lines for parallel readers.
        var probe = factory.makeParser()
        for line in sample.prefix(50) {
            let result = line.withUnsafeBufferPointer { probe.parse($0, context: context) }
            if case .ignored(let reason) = result, reason == .header { headerLines.append(line) }
        }
        var session = ParsingSession(parser: factory.makeParser(), context: context, source: source)
        var lineSplitter = LineSplitter()
        for chunk in chunks {
            chunk.withUnsafeBufferPointer { buffer in
                session.consume(chunk: buffer, splitter: &lineSplitter, symbols: aggregator.symbols) {
                    aggregator.add($0)
                }
            }
        }
        state = .parsing(session, lineSplitter)
    }
}
