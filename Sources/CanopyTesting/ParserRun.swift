package import CanopyCore
package import CanopyDiscovery

/// Everything a parser made of an input, line by line: the content of a parser golden file.
package struct ParserRun: Codable, Sendable, Equatable {
    /// A record with the line it came from.
    package struct Line: Codable, Sendable, Equatable {
        package var line: Int
        package var record: TrafficRecord
    }

    /// A line that made no record.
    package struct Outcome: Codable, Sendable, Equatable {
        package var line: Int
        /// `ignored` or `rejected`.
        package var outcome: String
        package var reason: String
    }

    package var parser: String
    package var records: [Line] = []
    package var diagnostics: [Outcome] = []

    /// Runs a fresh parser of `type` over `data`, fed to the splitter in chunks of `chunkSize` bytes.
    package static func run(
        _ type: any BuiltinLogParser.Type,
        data: [UInt8],
        chunkSize: Int = 1 << 20,
        context: ParseContext = ParseContext()
    ) -> ParserRun {
        run(parser: type.init(), data: data, chunkSize: chunkSize, context: context)
    }

    /// Runs `parser` over `data`.
    package static func run(
        parser: any LogParser,
        data: [UInt8],
        chunkSize: Int = 1 << 20,
        context: ParseContext = ParseContext()
    ) -> ParserRun {
        var run = ParserRun(parser: parser.descriptor.id)
        var session = ParsingSession(parser: parser, context: context, source: "fixture")
        var splitter = LineSplitter()
        func handle(_ event: LineSplitter.Event) {
            let before = session.statistics
            let number: Int
            switch event {
            case .line(_, let n): number = n
            case .overlong(let n): number = n
            }
            if let record = session.consume(event) {
                run.records.append(Line(line: number, record: record))
                return
            }
            let after = session.statistics
            for (reason, tally) in after.rejected where tally.count != before.rejected[reason]?.count ?? 0 {
                run.diagnostics.append(Outcome(line: number, outcome: "rejected", reason: reason.rawValue))
            }
            for (reason, tally) in after.ignored where tally.count != before.ignored[reason]?.count ?? 0 {
                run.diagnostics.append(Outcome(line: number, outcome: "ignored", reason: reason.rawValue))
            }
        }
        data.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                let end = min(all.count, start + chunkSize)
                splitter.feed(all.sub(start..<end), handle)
                start = end
            }
            splitter.finish(handle)
        }
        return run
    }
}
