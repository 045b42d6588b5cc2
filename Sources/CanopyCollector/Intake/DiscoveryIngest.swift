package import CanopyDiscovery
package import CanopyStore

/// Cloud Discovery into the store: logs (files, directories, .gz, .zip) are parsed like `canopy discover` reads them
/// and added to the store at the (day, app, data source, user, source IP) grain.
package enum DiscoveryIngest {
    /// What one ingestion did.
    package struct Outcome: Sendable {
        /// Each input with its format and parse statistics.
        package var sources: [DiscoveryReport.Source] = []
        /// Inputs that could not be read or whose format was not recognized, with the reason.
        package var failures: [String] = []
        /// Records parsed, and (day, app, user, IP) aggregates added to the store.
        package var records = 0
        package var aggregates = 0
    }

    /// Parses `paths` and adds their traffic to `store`.
    ///
    /// - Parameters:
    ///   - paths: files, directories, .gz or .zip archives.
    ///   - catalog: the app catalog (custom apps included) destinations are matched against.
    ///   - matcher: a matcher built from `catalog`, when the caller has one (else one is built).
    ///   - store: where the aggregates go.
    ///   - pseudonymize: replaces user names before they are stored (anonymization); nil keeps them.
    ///   - endingOn: for demo data: a day (days since the epoch) to move each input's traffic to, so that its last
    ///     day is that day (old sample logs would otherwise fall outside retention at once); nil keeps the logged
    ///     times.
    ///   - format: the format of every input (a data source's), instead of detecting one; every line is then
    ///     counted under it, even when none parses.
    ///   - parsers: the formats to detect among.
    ///   - context: parse settings.
    ///   - dataSource: the data source whose continuous report the traffic belongs to (a watched folder's id); 0 for
    ///     none (demo data).
    /// - Returns: what was read, parsed and stored; unreadable or unrecognized inputs are listed, not thrown.
    /// - Throws: ``StoreError`` when the store fails.
    package static func ingest(
        paths: [String],
        catalog: AppCatalog,
        matcher: AppMatcher? = nil,
        store: any Store,
        pseudonymize: (@Sendable (String) -> String)? = nil,
        endingOn: Int32? = nil,
        format: ParserFactory? = nil,
        parsers: [ParserFactory] = BuiltinParsers.factories,
        context: ParseContext = ParseContext(capturesDetail: false),
        dataSource: Int64 = 0
    ) async throws -> Outcome {
        var outcome = Outcome()
        let matcher = matcher ?? AppMatcher(catalog: catalog)
        var inputs: [LogInput] = []
        for path in paths {
            do {
                inputs += try LogInput.expand([path])
            } catch let error as InputError {
                outcome.failures.append("\(error.source): \(error.reason)")
            }
        }
        for input in inputs {
            var grain = GrainAggregator(matcher: matcher)
            var ingest = InputIngest(source: input.name, context: context, parser: format, candidates: parsers)
            do {
                try input.read { chunk in ingest.feed(chunk, into: &grain) }
            } catch let error as InputError {
                outcome.failures.append("\(error.source): \(error.reason)")
                continue
            }
            ingest.finish(into: &grain)
            switch ingest.detection {
            case .chosen(let parserID, let confidence):
                outcome.sources.append(
                    DiscoveryReport.Source(
                        name: input.name,
                        parser: parserID,
                        confidence: confidence,
                        statistics: ingest.statistics
                    )
                )
            case .unrecognized(let closest):
                let names = closest.map(\.parserID).joined(separator: ", ")
                outcome.failures.append("\(input.name): format not recognized (closest: \(names))")
                continue
            case nil:
                continue
            }
            outcome.records += ingest.statistics.records
            let shift = endingOn.map { $0 - (grain.cells.keys.map(\.day).max() ?? $0) } ?? 0
            let rows = grain.rows(
                catalog: catalog,
                shiftDays: shift,
                pseudonymize: pseudonymize,
                dataSource: dataSource
            )
            // One transaction an input: all of its traffic or none, rollups merged once.
            try await store.addDiscovery(rows)
            outcome.aggregates += rows.count
        }
        return outcome
    }
}
