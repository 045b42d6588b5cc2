import CanopyCollector
import CanopyCore
import CanopyDiscovery
import CanopyStore
import Dispatch
import Foundation

/// Builds a snapshot report from uploaded files, exactly as `canopy discover run` does (format sniffing or the one
/// asked for, the catalog, the tenant's tags and score weights), on a background thread so the server's threads keep
/// serving.
struct SnapshotProcessor: Sendable {
    let tenant: TenantCatalog
    /// User and device names are replaced while anonymization is on.
    let anonymization: ServerAnonymization
    let parsers: [ParserFactory]
    let store: any Store
    let clock: @Sendable () -> Int64

    /// Reads `files` (read as `format` when given) and returns how it went; never throws for bad input — an
    /// unreadable or unrecognized upload is a `failed` snapshot with the reason.
    func process(files: [ReceivedUpload.File], format: String?) async throws -> SnapshotCompletion {
        let inputBytes = files.reduce(0) { $0 + $1.bytes }
        var forced: ParserFactory? = nil
        if let format {
            guard let factory = parsers.first(where: { $0.descriptor.id == format }) else {
                return failed("unknown format \(format)", files: files.count, bytes: inputBytes)
            }
            forced = factory
        }
        let now = clock()
        let tags = try await store.appTags().mapValues { $0.sorted() }
        let matching = try await tenant.refreshed(from: store)
        let catalog = matching.catalog
        let scorer = try await PortalCatalog(matching).scorer(store: store, now: now)
        let settings = DiscoverySettings(tags: tags, scoring: scorer.settings)
        let year = Calendar(identifier: .gregorian).component(
            .year,
            from: Date(timeIntervalSince1970: Double(now) / 1000)
        )
        let runner = DiscoveryRunner(
            matcher: matching.matcher,
            options: DiscoveryRunner.Options(
                parser: forced,
                candidates: parsers,
                jobs: 1,
                context: ParseContext(defaultYear: year, capturesDetail: false)
            )
        )
        let paths = files.map(\.path)
        let result = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(returning: runner.run(paths: paths)) }
        }
        let names = SourceNames(files)
        let failures = result.failures.map { failure in
            var renamed = failure
            renamed.source = names.display(failure.source)
            return renamed
        }
        let records = result.sources.reduce(0) { $0 + $1.statistics.records }
        guard records > 0 else {
            var reason = "no traffic records were parsed"
            if let first = failures.first {
                reason += "; \(first.source): \(first.reason)"
                if !first.closestFormats.isEmpty {
                    reason += " (closest formats: \(first.closestFormats.prefix(3).joined(separator: ", ")))"
                }
            } else if let source = result.sources.first {
                let top = source.statistics.rejected.max { $0.value.count < $1.value.count }
                reason +=
                    "; read as \(source.parser)" + (top.map { ", mostly \($0.key.rawValue) ×\($0.value.count)" } ?? "")
            }
            return failed(reason, files: files.count, bytes: inputBytes, format: format)
        }
        let anonymizer = try await anonymization.current()
        var pseudonymize: (@Sendable (String) -> String)?
        if let anonymizer { pseudonymize = { anonymizer.token(for: $0) } }
        let builder = DiscoveryReportBuilder(
            catalog: catalog,
            settings: settings,
            scorer: scorer,
            topCount: 100,
            pseudonymize: pseudonymize
        )
        var report = builder.build(
            result.aggregator,
            sources: result.sources,
            generatedAt: Timestamp(millisecondsSinceEpoch: clock())
        )
        names.relabel(&report)
        let parsersUsed = Array(Set(report.sources.map(\.parser))).sorted().joined(separator: ",")
        let digest = SnapshotDigest(report: report, files: files, failures: failures)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return SnapshotCompletion(
            status: .ready,
            format: format ?? parsersUsed,
            files: files.count,
            inputBytes: inputBytes,
            error: nil,
            finishedAt: clock(),
            digest: try encoder.encode(digest),
            report: try encoder.encode(report)
        )
    }

    private func failed(_ reason: String, files: Int, bytes: Int64, format: String? = nil) -> SnapshotCompletion {
        SnapshotCompletion(
            status: .failed,
            format: format,
            files: files,
            inputBytes: bytes,
            error: reason,
            finishedAt: clock(),
            digest: nil,
            report: nil
        )
    }
}

/// What snapshot lists show without loading the report: the files, totals and parse statistics.
struct SnapshotDigest: Codable, Sendable, Hashable {
    struct File: Codable, Sendable, Hashable {
        var name: String
        var bytes: Int64
    }

    struct Reason: Codable, Sendable, Hashable {
        var reason: String
        var count: Int
        /// The first places, as `file:line`.
        var firstLines: [String]
    }

    var files: [File]
    var lines: Int
    var records: Int
    var ignored: Int
    var rejected: Int
    var rejectedBy: [Reason]
    var apps: Int
    var users: Int
    var sourceIPs: Int
    var bytesTotal: Int64
    var transactions: Int64
    var failures: [DiscoveryRunner.Failure]

    init(report: DiscoveryReport, files: [ReceivedUpload.File], failures: [DiscoveryRunner.Failure]) {
        self.files = files.map { File(name: $0.name, bytes: $0.bytes) }
        let statistics = report.statistics
        lines = statistics.lines
        records = statistics.records
        ignored = statistics.ignoredCount
        rejected = statistics.rejectedCount
        rejectedBy = statistics.rejected.sorted { $0.value.count > $1.value.count }.map { reason, tally in
            Reason(
                reason: reason.rawValue,
                count: tally.count,
                firstLines: tally.firstLines.map { "\($0.source):\($0.line)" }
            )
        }
        apps = report.totals.apps
        users = report.totals.users
        sourceIPs = report.totals.sourceIPs
        bytesTotal = report.totals.bytesTotal
        transactions = report.totals.transactions
        self.failures = failures
    }
}

/// Maps the paths uploads were written to back to the names their sender gave (reports never show server paths).
struct SourceNames: Sendable {
    private var byPath: [(path: String, name: String)]

    init(_ files: [ReceivedUpload.File]) {
        // Longest first, so one path that prefixes another never wins.
        byPath = files.map { ($0.path, $0.name) }.sorted { $0.path.count > $1.path.count }
    }

    /// `…/uploads/7/00-a.zip!b.log` → `a.zip!b.log`.
    func display(_ source: String) -> String {
        for entry in byPath where source.hasPrefix(entry.path) {
            return entry.name + source.dropFirst(entry.path.count)
        }
        return source
    }

    func relabel(_ report: inout DiscoveryReport) {
        for i in report.sources.indices {
            report.sources[i].name = display(report.sources[i].name)
            relabel(&report.sources[i].statistics)
        }
        relabel(&report.statistics)
    }

    private func relabel(_ statistics: inout ParseStatistics) {
        statistics.ignored = statistics.ignored.mapValues(relabel)
        statistics.rejected = statistics.rejected.mapValues(relabel)
    }

    private func relabel(_ tally: ParseStatistics.Tally) -> ParseStatistics.Tally {
        var renamed = tally
        renamed.firstLines = tally.firstLines.map(relabel)
        return renamed
    }

    private func relabel(_ diagnostic: Diagnostic) -> Diagnostic {
        Diagnostic(reason: diagnostic.reason, source: display(diagnostic.source), line: diagnostic.line)
    }
}
