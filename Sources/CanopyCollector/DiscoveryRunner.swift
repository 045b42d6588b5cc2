import CanopyCore
package import CanopyDiscovery
import Dispatch
import Synchronization

/// Runs Cloud Discovery over inputs: expands files, sniffs or applies the format, parses and aggregates —
/// splitting large plain files across cores when asked.
package struct DiscoveryRunner: Sendable {
    package struct Options: Sendable {
        /// A parser to use instead of sniffing.
        package var parser: ParserFactory?
        /// The formats sniffing chooses from (built-in and custom parsers).
        package var candidates: [ParserFactory]
        /// Worker threads for large plain files (1 = one core).
        package var jobs: Int
        package var context: ParseContext
        /// Files smaller than this are never split.
        package var splitThreshold: Int64

        package init(
            parser: ParserFactory? = nil,
            candidates: [ParserFactory] = BuiltinParsers.factories,
            jobs: Int = 1,
            context: ParseContext = ParseContext(capturesDetail: false),
            splitThreshold: Int64 = 16 << 20
        ) {
            self.parser = parser
            self.candidates = candidates
            self.jobs = max(1, jobs)
            self.context = context
            self.splitThreshold = splitThreshold
        }
    }

    /// An input that produced nothing: unreadable, or in no known format.
    package struct Failure: Sendable, Codable, Hashable {
        package var source: String
        package var reason: String
        /// For unrecognized inputs: the formats that came closest, best first.
        package var closestFormats: [String]
    }

    package struct Result: Sendable {
        package var aggregator: DiscoveryAggregator
        package var sources: [DiscoveryReport.Source]
        package var failures: [Failure]
    }

    package let matcher: AppMatcher
    package let options: Options
    /// Called with the number of input bytes read so far (from any thread).
    package let progress: (@Sendable (Int64) -> Void)?

    package init(matcher: AppMatcher, options: Options, progress: (@Sendable (Int64) -> Void)? = nil) {
        self.matcher = matcher
        self.options = options
        self.progress = progress
    }

    /// Runs over the given paths ("-" for stdin). Inputs that fail are reported, the others still counted.
    package func run(paths: [String]) -> Result {
        var result = Result(aggregator: DiscoveryAggregator(matcher: matcher), sources: [], failures: [])
        let bytesRead = Atomic<Int64>(0)
        let inputs: [LogInput]
        var failures: [Failure] = []
        var expanded: [LogInput] = []
        for path in paths {
            do {
                expanded += try LogInput.expand([path])
            } catch let error as InputError {
                failures.append(Failure(source: error.source, reason: error.reason, closestFormats: []))
            } catch {
                failures.append(Failure(source: path, reason: "cannot read", closestFormats: []))
            }
        }
        inputs = expanded
        for input in inputs {
            do {
                if options.jobs > 1, input.kind == .plain, let size = input.fileSize, size >= options.splitThreshold {
                    try runSplit(input, size: size, into: &result, bytesRead: bytesRead)
                } else {
                    try runStreaming(input, into: &result, bytesRead: bytesRead)
                }
            } catch let error as InputError {
                failures.append(Failure(source: error.source, reason: error.reason, closestFormats: []))
            } catch {
                failures.append(Failure(source: input.name, reason: "cannot read", closestFormats: []))
            }
        }
        result.failures = failures + result.failures
        return result
    }

    private func runStreaming(
        _ input: LogInput,
        into result: inout Result,
        bytesRead: borrowing Atomic<Int64>
    )
        throws
    {
        var ingest = InputIngest(
            source: input.name,
            context: options.context,
            parser: options.parser,
            candidates: options.candidates
        )
        var aggregator = result.aggregator
        result.aggregator = DiscoveryAggregator(matcher: matcher)  // Keep the aggregator uniquely referenced.
        defer { result.aggregator = aggregator }
        try input.read { chunk in
            ingest.feed(chunk, into: &aggregator)
            let total = bytesRead.add(Int64(chunk.count), ordering: .relaxed).newValue
            progress?(total)
        }
        ingest.finish(into: &aggregator)
        record(ingest, into: &result)
    }

    private func record(_ ingest: InputIngest, into result: inout Result) {
        switch ingest.detection {
        case .chosen(let id, let confidence):
            result.sources.append(
                DiscoveryReport.Source(
                    name: ingest.source,
                    parser: id,
                    confidence: confidence,
                    statistics: ingest.statistics
                )
            )
        case .unrecognized(let closest):
            result.failures.append(
                Failure(
                    source: ingest.source,
                    reason: "no known format reads this input",
                    closestFormats: closest.map(\.parserID)
                )
            )
        case nil:
            result.failures.append(Failure(source: ingest.source, reason: "empty input", closestFormats: []))
        }
    }

    /// Splits a plain file at line boundaries into one range per job, parses the ranges in parallel and merges.
    private func runSplit(
        _ input: LogInput,
        size: Int64,
        into result: inout Result,
        bytesRead: borrowing Atomic<Int64>
    )
        throws
    {
        // Sniff on the head of the file.
        var probe = InputIngest(
            source: input.name,
            context: options.context,
            parser: options.parser,
            candidates: options.candidates
        )
        var scratch = DiscoveryAggregator(matcher: matcher)
        try LogInput.readFile(input.path, chunkSize: 1 << 20, to: min(size, 4 << 20)) { chunk in
            probe.feed(chunk, into: &scratch)
        }
        probe.finish(into: &scratch)
        guard case .chosen(let parserID, let confidence) = probe.detection,
            let factory = options.parser ?? options.candidates.first(where: { $0.descriptor.id == parserID })
        else {
            record(probe, into: &result)
            return
        }
        let boundaries = try Self.lineBoundaries(path: input.path, size: size, parts: options.jobs)
        let parts = boundaries.count - 1
        let outputs = Mutex<[Int: (DiscoveryAggregator, ParseStatistics, Int)]>([:])
        let errors = Mutex<[InputError]>([])
        let headerLines = probe.headerLines
        let context = options.context
        let matcher = self.matcher
        let progress = self.progress
        let counter = UnsafeSendable(pointer: withUnsafePointer(to: bytesRead) { $0 })
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            var parser = factory.makeParser()
            for line in headerLines where part > 0 {
                _ = line.withUnsafeBufferPointer { parser.parse($0, context: context) }
            }
            var session = ParsingSession(parser: parser, context: context, source: input.name)
            var splitter = LineSplitter()
            var aggregator = DiscoveryAggregator(matcher: matcher)
            do {
                try LogInput.readFile(
                    input.path,
                    chunkSize: 1 << 20,
                    from: boundaries[part],
                    to: boundaries[part + 1]
                ) { chunk in
                    session.consume(chunk: chunk, splitter: &splitter, symbols: aggregator.symbols) {
                        aggregator.add($0)
                    }
                    let total = counter.pointer.pointee.add(Int64(chunk.count), ordering: .relaxed).newValue
                    progress?(total)
                }
                splitter.finish { event in
                    session.consume(event) { aggregator.add($0) }
                }
                let lines = splitter.lineNumber
                let stats = session.statistics
                outputs.withLock { $0[part] = (aggregator, stats, lines) }
            } catch let error as InputError {
                errors.withLock { $0.append(error) }
            } catch {
                errors.withLock { $0.append(InputError(source: input.name, reason: "read error")) }
            }
        }
        if let error = errors.withLock({ $0.first }) { throw error }
        var statistics = ParseStatistics()
        var offset = 0
        var merged = result.aggregator
        result.aggregator = DiscoveryAggregator(matcher: matcher)
        // Take the parts out of the mutex and drop each once merged: peak memory is the parts, not parts + copy.
        var collected = outputs.withLock { all in
            defer { all = [:] }
            return all
        }
        for part in 0..<parts {
            guard let (aggregator, stats, lines) = collected.removeValue(forKey: part) else { continue }
            statistics.merge(stats.shiftingLines(by: offset))
            offset += lines
            if merged.isEmpty {
                merged = aggregator
            } else {
                merged.merge(aggregator)
            }
        }
        result.aggregator = merged
        result.sources.append(
            DiscoveryReport.Source(name: input.name, parser: parserID, confidence: confidence, statistics: statistics)
        )
    }

    /// Byte offsets that cut the file into `parts` ranges, each ending just after a newline.
    static func lineBoundaries(path: String, size: Int64, parts: Int) throws -> [Int64] {
        var cuts: [Int64] = [0]
        for k in 1..<max(1, parts) {
            let target = size * Int64(k) / Int64(parts)
            var found: Int64? = nil
            try LogInput.readFile(path, chunkSize: 64 * 1024, from: target, to: min(size, target + (1 << 20))) {
                chunk in
                if found == nil, let nl = chunk.index(of: 10) { found = target + Int64(nl) + 1 }
            }
            if let f = found, f > cuts[cuts.count - 1], f < size { cuts.append(f) }
        }
        cuts.append(size)
        return cuts
    }
}

/// A pointer to an atomic shared by the workers of one `concurrentPerform` (the atomic outlives them).
// @unchecked: the pointee is an `Atomic`, safe to use from any thread, and stays alive for the whole call.
private struct UnsafeSendable: @unchecked Sendable {
    let pointer: UnsafePointer<Atomic<Int64>>
}

extension ParseStatistics {
    /// The same statistics with every diagnostic's line number moved by `offset` (for split files).
    package func shiftingLines(by offset: Int) -> ParseStatistics {
        guard offset != 0 else { return self }
        var copy = self
        for (reason, var tally) in copy.rejected {
            tally.firstLines = tally.firstLines.map {
                var d = $0
                d.line += offset
                return d
            }
            copy.rejected[reason] = tally
        }
        for (reason, var tally) in copy.ignored {
            tally.firstLines = tally.firstLines.map {
                var d = $0
                d.line += offset
                return d
            }
            copy.ignored[reason] = tally
        }
        return copy
    }
}
