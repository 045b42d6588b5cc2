import CanopyCore
package import CanopyDiscovery
package import CanopyStore
import NIOCore
import Synchronization

/// Where one data source's messages go: parsed as they arrive (on the event loop that read them, so a slow parse
/// slows the sender through TCP flow control instead of piling up in memory), aggregated at the store's grain, and
/// drained into the store every few seconds by ``CollectorService``.
///
/// Every message is counted: it becomes a record, or is ignored or rejected under a reason, in the same
/// ``ParseStatistics`` that `canopy discover` reports. Thread-safe: each connection's event loop calls ``ingest(_:at:)``.
package final class SourceIntake: Sendable {
    package let source: DataSource
    private let state: Mutex<State>

    private struct State: Sendable {
        var session: ParsingSession
        var grain: GrainAggregator
        /// The catalog `grain`'s matcher was built from (names its rows).
        var catalog: AppCatalog
        /// Messages numbered from 1 for the whole life of the intake (the "line numbers" of diagnostics).
        var messages = 0
        /// The statistics already handed out by ``drain()``.
        var drained = ParseStatistics()
        var lastReceivedAt: Int64?
    }

    /// What arrived since the last drain.
    package struct Drained: Sendable {
        package var rows: [DiscoveryRow]
        package var intake: DataSourceIntake
    }

    /// - Parameters:
    ///   - source: the data source (its name names diagnostics).
    ///   - parser: the source's format; messages are read through ``SyslogPayloadParser``, so a relay's envelope does
    ///     not matter.
    ///   - catalog: the app catalog, custom apps included.
    ///   - matcher: a matcher built from `catalog` (shared by every source).
    package init(source: DataSource, parser: ParserFactory, catalog: AppCatalog, matcher: AppMatcher) {
        self.source = source
        let session = ParsingSession(
            parser: SyslogPayloadParser(wrapping: parser.makeParser()),
            context: ParseContext(capturesDetail: false),
            source: source.name
        )
        state = Mutex(State(session: session, grain: GrainAggregator(matcher: matcher), catalog: catalog))
    }

    /// Parses and counts a batch of frames received at `now` (milliseconds since the epoch).
    package func ingest(_ frames: [SyslogFrame], at now: Int64) {
        guard !frames.isEmpty else { return }
        state.withLock { state in
            for frame in frames {
                state.messages += 1
                switch frame {
                case .message(let buffer):
                    let record = buffer.withUnsafeReadableBytes { raw in
                        state.session.consume(line: raw.bindMemory(to: UInt8.self), number: state.messages)
                    }
                    if let record { state.grain.add(record) }
                case .overlong:
                    state.session.countRejected(.overlongLine, line: state.messages)
                case .truncated:
                    state.session.countRejected(.truncated, line: state.messages)
                }
            }
            state.lastReceivedAt = now
        }
    }

    /// How many messages arrived since the intake began (every frame, parsed or not).
    package var messageCount: Int { state.withLock { $0.messages } }

    /// Everything counted so far, since the intake began (diagnostics included: the first places of each reason).
    package var statistics: ParseStatistics { state.withLock { $0.session.statistics } }

    /// Takes what arrived since the last drain: the aggregates (the intake starts new ones) and the counters' delta.
    ///
    /// - Parameters:
    ///   - next: a new catalog version (custom apps changed) to match what arrives from now on; what arrived before is
    ///     named with the catalog it was matched with.
    ///   - pseudonymize: replaces user names in the rows (anonymization); nil keeps them.
    /// - Returns: the aggregates as store rows and the intake counters since the last drain.
    package func drain(
        switchingTo next: MatchingCatalog? = nil,
        pseudonymize: (@Sendable (String) -> String)? = nil
    ) -> Drained {
        let (grain, catalog, statistics, previous, last) = state.withLock { state in
            let grain = state.grain
            let catalog = state.catalog
            if let next {
                state.grain = GrainAggregator(matcher: next.matcher)
                state.catalog = next.catalog
            } else {
                state.grain = GrainAggregator(matcher: grain.matcher)
            }
            let previous = state.drained
            state.drained = state.session.statistics
            return (grain, catalog, state.drained, previous, state.lastReceivedAt)
        }
        let intake = DataSourceIntake(statistics: statistics, since: previous, lastReceivedAt: last)
        return Drained(
            rows: grain.rows(catalog: catalog, pseudonymize: pseudonymize, dataSource: source.id),
            intake: intake
        )
    }
}
