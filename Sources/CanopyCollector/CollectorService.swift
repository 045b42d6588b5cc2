import CanopyCore
package import CanopyDiscovery
package import CanopyStore
import Foundation
package import Logging
package import NIOSSL
import ServiceLifecycle

/// How the collector listens and how often it writes.
package struct CollectorConfiguration: Sendable {
    /// The address syslog ports bind to.
    package var host: String
    /// The server TLS context for `tls` sources (TLS 1.2+); without one, TLS sources report an error.
    package var tls: NIOSSLContext?
    /// How often data sources are reconciled with the store and folders polled.
    package var interval: Duration
    /// How often what arrived is written to the store under a steady stream: parsed traffic reaches the reports
    /// within about this long. Longer means fewer writes of the same (day, app, user, IP) aggregates. A source that
    /// goes quiet (nothing new for one ``interval``) is written at once, so a burst is in the reports seconds after
    /// it ends.
    package var flushInterval: Duration
    /// How often data-source health is checked (disconnected sources, system alerts).
    package var healthInterval: Duration
    /// A watched file is read once it has not changed for this long.
    package var folderSettleMilliseconds: Int64
    /// The longest syslog message kept; longer ones are counted as `overlong-line`.
    package var maximumMessageLength: Int

    package init(
        host: String = "127.0.0.1",
        tls: NIOSSLContext? = nil,
        interval: Duration = .seconds(1),
        flushInterval: Duration = .seconds(10),
        healthInterval: Duration = .seconds(60),
        folderSettleMilliseconds: Int64 = 2_000,
        maximumMessageLength: Int = 64 * 1024
    ) {
        self.host = host
        self.tls = tls
        self.interval = interval
        self.flushInterval = flushInterval
        self.healthInterval = healthInterval
        self.folderSettleMilliseconds = folderSettleMilliseconds
        self.maximumMessageLength = maximumMessageLength
    }
}

/// Continuous Cloud Discovery: runs a listener (UDP, TCP or TLS syslog) or a folder watch for every data source in
/// the store, parses what arrives with the source's format, writes the aggregates and the per-source intake counters
/// to the store every ``CollectorConfiguration/flushInterval`` (and as soon as a source goes quiet), and raises a system alert for a source silent 48 hours.
///
/// Data sources are read from the store on every pass, so a source added or removed through the API (on this node
/// or another) starts or stops within one interval. A port that cannot be bound is reported in the setting
/// `datasource.error.<id>` (shown by the API) and retried.
package actor CollectorService: Service {
    private let store: any Store
    private let catalog: TenantCatalog
    /// The catalog version the running intakes match with.
    private var matching: MatchingCatalog
    /// Where the anonymization of user names comes from (the server's setting), read every pass.
    private let pseudonymizerSource: (@Sendable () async throws -> (@Sendable (String) -> String)?)?
    private var pseudonymize: (@Sendable (String) -> String)?
    private let parsers: [ParserFactory]
    private let configuration: CollectorConfiguration
    private let clock: @Sendable () -> Int64
    private let logger: Logger

    private struct Running {
        var source: DataSource
        var intake: SourceIntake
        /// The ``MatchingCatalog/revision`` the intake matches with.
        var revision: UInt64
        var listener: SyslogListener?
        var folder: FolderWatch?
        /// Drained rows and counters the store refused; written first at the next pass.
        var unwritten: [DiscoveryRow] = []
        var unwrittenIntake = DataSourceIntake()
        /// The intake's ``SourceIntake/messageCount`` at the previous pass and at the last drain: equal at this
        /// pass but different from the drained one means the source went quiet with data not yet written.
        var messagesAtLastPass = 0
        var messagesDrained = 0
    }

    private var running: [Int64: Running] = [:]
    /// Sources that failed to start, with when, so that they are retried every 30 s rather than every pass.
    private var failedAt: [Int64: Int64] = [:]
    private var lastHealthCheck: Int64?
    private var lastFlush = ContinuousClock.now

    /// - Parameters:
    ///   - store: where data sources are read from and what they receive is written to.
    ///   - catalog: the tenant's catalog destinations are matched against; custom apps saved in the store (through
    ///     any node) apply from the next flush.
    ///   - parsers: the formats a source may name (the built-in ones and the data directory's custom parsers).
    ///   - configuration: addresses, TLS and intervals.
    ///   - pseudonymizer: the anonymization of user names now (nil: off), asked every pass; user names are replaced
    ///     before anything is written.
    ///   - clock: milliseconds since the epoch (injected for tests of health and alerts).
    ///   - logger: for start-up failures and alerts (never message contents).
    package init(
        store: any Store,
        catalog: TenantCatalog,
        parsers: [ParserFactory] = BuiltinParsers.factories,
        configuration: CollectorConfiguration,
        pseudonymizer: (@Sendable () async throws -> (@Sendable (String) -> String)?)? = nil,
        clock: @escaping @Sendable () -> Int64,
        logger: Logger
    ) {
        self.pseudonymizerSource = pseudonymizer
        self.store = store
        self.catalog = catalog
        self.matching = catalog.current
        self.parsers = parsers
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    package func run() async throws {
        try? await cancelWhenGracefulShutdown { try await self.loop() }
        await stopAll()
    }

    private func loop() async throws {
        while true {
            await pass(forceFlush: false)
            try await Task.sleep(for: configuration.interval)
        }
    }

    /// One pass: start and stop sources to match the store, read ready files of watched folders, write what arrived
    /// (always with `forceFlush`, else when the flush interval has passed or for the sources that went quiet since
    /// the previous pass), and check health when it is due.
    /// ``run()`` makes one every interval; tests call it directly.
    package func pass(forceFlush: Bool = true) async {
        await refreshCatalog()
        await reconcile()
        await readFolders()
        if forceFlush || ContinuousClock.now - lastFlush >= configuration.flushInterval {
            lastFlush = ContinuousClock.now
            await flush()
        } else {
            await flushQuietSources()
        }
        let now = clock()
        let healthMs = configuration.healthInterval.components.seconds * 1000
        if lastHealthCheck.map({ now - $0 >= healthMs }) ?? true {
            lastHealthCheck = now
            await checkHealth(now: now)
        }
    }

    /// The port a running syslog source is bound to.
    package func port(of sourceID: Int64) -> Int? { running[sourceID]?.listener?.port }

    /// Everything the running sources counted since they started (diagnostics with their first message numbers).
    package func statistics(of sourceID: Int64) -> ParseStatistics? { running[sourceID]?.intake.statistics }

    /// Closes every listener and writes what they received.
    package func stopAll() async {
        for id in Array(running.keys) { await stop(id) }
    }

    // MARK: Sources

    private func reconcile() async {
        let sources: [DataSource]
        do {
            sources = try await store.dataSources()
        } catch {
            logger.error("collector: cannot read data sources", metadata: ["canopy.error": "\(error)"])
            return
        }
        let wanted = Dictionary(sources.map { ($0.id, $0) }) { first, _ in first }
        for (id, run) in running where wanted[id] != run.source { await stop(id) }
        let now = clock()
        for source in sources where running[source.id] == nil {
            if let failed = failedAt[source.id], now - failed < 30_000 { continue }
            await start(source, now: now)
        }
    }

    private func start(_ source: DataSource, now: Int64) async {
        let errorKey = "datasource.error.\(source.id)"
        do {
            guard let parser = parsers.first(where: { $0.descriptor.id == source.format }) else {
                throw CollectorError("unknown format \(source.format)")
            }
            let intake = SourceIntake(
                source: source,
                parser: parser,
                catalog: matching.catalog,
                matcher: matching.matcher
            )
            var run = Running(source: source, intake: intake, revision: matching.revision)
            if source.transport == .folder {
                guard let path = source.path, !path.isEmpty else { throw CollectorError("no folder given") }
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                run.folder = FolderWatch(path: path, settleMilliseconds: configuration.folderSettleMilliseconds)
            } else {
                run.listener = try await SyslogListener.start(
                    source: source,
                    host: configuration.host,
                    intake: intake,
                    tls: configuration.tls,
                    maximumLength: configuration.maximumMessageLength,
                    clock: clock
                )
            }
            running[source.id] = run
            failedAt[source.id] = nil
            if (try? await store.setting(errorKey)) != nil { try? await store.setSetting(errorKey, to: nil) }
            logger.notice(
                "collector: data source started",
                metadata: [
                    "canopy.datasource.id": "\(source.id)",
                    "canopy.datasource.transport": "\(source.transport.rawValue)",
                    "canopy.parser.id": "\(source.format)",
                ]
            )
        } catch {
            failedAt[source.id] = now
            let reason = "\(error)"
            logger.error(
                "collector: data source cannot start",
                metadata: ["canopy.datasource.id": "\(source.id)", "canopy.error": "\(reason)"]
            )
            if (try? await store.setting(errorKey)) != reason { try? await store.setSetting(errorKey, to: reason) }
        }
    }

    private func stop(_ id: Int64) async {
        guard let run = running[id] else { return }
        await run.listener?.stop()
        await flush(id)
        running[id] = nil
    }

    // MARK: Writing

    private func flush() async {
        for id in Array(running.keys) { await flush(id) }
    }

    /// Writes the sources that received nothing since the previous pass but hold what was not written yet: the end
    /// of a burst reaches the reports within one interval instead of one flush interval.
    private func flushQuietSources() async {
        for (id, run) in running {
            let count = run.intake.messageCount
            running[id]?.messagesAtLastPass = count
            if count == run.messagesAtLastPass, count != run.messagesDrained { await flush(id) }
        }
    }

    /// Picks up custom apps and the anonymization setting changed in the store (through any node).
    private func refreshCatalog() async {
        do {
            matching = try await catalog.refreshed(from: store)
        } catch {
            logger.error("collector: cannot read custom apps", metadata: ["canopy.error": "\(error)"])
        }
        guard let pseudonymizerSource else { return }
        do {
            pseudonymize = try await pseudonymizerSource()
        } catch {
            // Keep the last answer (a store that cannot be read will not take this pass's writes either).
            logger.error("collector: cannot read the anonymization setting", metadata: ["canopy.error": "\(error)"])
        }
    }

    /// Writes what source `id` received since the last write; kept for the next pass when the store fails. An intake
    /// matching with an older catalog version than ``matching`` switches to it here.
    private func flush(_ id: Int64) async {
        guard var run = running[id] else { return }
        let next = run.revision == matching.revision ? nil : matching
        // Read before the drain: a message arriving in between is drained too and only causes one more quiet write.
        run.messagesDrained = run.intake.messageCount
        let drained = run.intake.drain(switchingTo: next, pseudonymize: pseudonymize)
        run.revision = matching.revision
        run.unwritten += drained.rows
        // In key order: the B-tree is walked once instead of jumped around (random-key upserts are SQLite's slow
        // case, STYLE.md §15). One source's rows share their data source, the key's third column.
        run.unwritten.sort {
            ($0.day, $0.app, $0.user, $0.sourceIP) < ($1.day, $1.app, $1.user, $1.sourceIP)
        }
        run.unwrittenIntake.add(drained.intake)
        do {
            // One transaction: the rollups are merged once a flush, and a failed flush is retried whole (nothing of
            // it was written, so nothing is counted twice).
            try await store.addDiscovery(run.unwritten)
            run.unwritten = []
            if run.unwrittenIntake.lines > 0 {
                try await store.addIntake(run.unwrittenIntake, to: id)
            }
            run.unwrittenIntake = DataSourceIntake()
        } catch {
            logger.error("collector: cannot write to the store", metadata: ["canopy.error": "\(error)"])
        }
        if running[id] != nil { running[id] = run }
    }

    // MARK: Folders

    private func readFolders() async {
        for id in Array(running.keys) {
            guard var folder = running[id]?.folder, let source = running[id]?.source else { continue }
            let ready = folder.poll(now: clock())
            running[id]?.folder = folder
            for file in ready { await read(file, of: source) }
        }
    }

    /// Reads one settled file of a folder source into the store and archives it.
    private func read(_ file: String, of source: DataSource) async {
        guard let parser = parsers.first(where: { $0.descriptor.id == source.format }) else { return }
        do {
            let outcome = try await DiscoveryIngest.ingest(
                paths: [file],
                catalog: matching.catalog,
                matcher: matching.matcher,
                store: store,
                pseudonymize: pseudonymize,
                format: parser,
                context: ParseContext(capturesDetail: false),
                dataSource: source.id
            )
            var statistics = ParseStatistics()
            for input in outcome.sources { statistics.merge(input.statistics) }
            for _ in outcome.failures { statistics.countRejected(.unreadableInput, source: file, line: 0) }
            statistics.lines += outcome.failures.count
            try await store.addIntake(DataSourceIntake(statistics: statistics, lastReceivedAt: clock()), to: source.id)
            try FolderWatch.archive(file, failed: !outcome.failures.isEmpty)
        } catch {
            logger.error(
                "collector: cannot read a watched file",
                metadata: ["canopy.datasource.id": "\(source.id)", "canopy.error": "\(error)"]
            )
            _ = try? FolderWatch.archive(file, failed: true)
        }
    }

    // MARK: Health

    private func checkHealth(now: Int64) async {
        do {
            let intakes = try await store.intakes()
            for source in try await store.dataSources() {
                let health = DataSourceHealth(source: source, intake: intakes[source.id], now: now)
                guard health.needsAlert else { continue }
                if try await store.raiseAlert(health.alert(for: source, now: now)) != nil {
                    logger.warning(
                        "collector: data source silent for 48 hours, alert raised",
                        metadata: ["canopy.datasource.id": "\(source.id)"]
                    )
                }
            }
        } catch {
            logger.error("collector: health check failed", metadata: ["canopy.error": "\(error)"])
        }
    }
}
