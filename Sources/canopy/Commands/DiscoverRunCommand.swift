import ArgumentParser
import CanopyCollector
import CanopyCore
import CanopyDiscovery
import Foundation

/// `canopy discover FILE…`: the snapshot report.
struct DiscoverRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Build a snapshot report from log files, directories, .gz or .zip archives, or stdin (-).",
        discussion: """
            The log format is detected from the first lines of each input (the parser with the best parse rate \
            wins; its name and confidence are in the report). Use --format to name it; `canopy discover formats` \
            lists them all.

            Exit status: 0 when every input was read, 2 when some inputs failed but others produced records, 1 when \
            nothing could be parsed (the closest formats are named).
            """
    )

    @Argument(help: "Log files, directories, .gz or .zip archives; - reads standard input.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output: table, json, csv or html.")
    var output: OutputFormat = .table

    @Option(help: "Parser id to use instead of auto-detection (see `canopy discover formats`).")
    var format: String?

    @Option(
        name: .customLong("parser"),
        help: "A custom parser definition (YAML); repeatable. Definitions in DATA/parsers/*.yaml are always loaded."
    )
    var parserFiles: [String] = []

    @Option(help: "With --output csv: the section to export (apps, users, ips, categories, unknown, days, statistics).")
    var section: String = "apps"

    @Option(name: [.customLong("out"), .customShort("f")], help: "Write the report to this file instead of stdout.")
    var outputFile: String?

    @Option(help: "Worker threads for large plain files (default: all cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Replace user and device names with encrypted tokens (key kept in the data directory).")
    var anonymize = false

    @Option(help: "How many users, IPs and unknown destinations the report keeps.")
    var top: Int = 50

    @Option(help: "The year for syslog timestamps that carry none (default: this year).")
    var year: Int?

    @Option(help: "Data directory with settings, tags and keys (default ./canopy-data or $CANOPY_DATA).")
    var data: String?

    @Option(help: "App catalog directory (default: the catalog built into canopy).")
    var catalog: String?

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        if DiscoveryReport.CSVSection(rawValue: section) == nil {
            throw ValidationError(
                "--section takes one of \(DiscoveryReport.CSVSection.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        guard jobs >= 1, jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    }

    func run() async throws {
        let directory = DataDirectory(path: data)
        let settings = try directory.loadSettings()
        let catalog = try CatalogResources.load(override: self.catalog, settings: settings)
        let matcher = AppMatcher(catalog: catalog)
        let anonymizer = anonymize ? try directory.anonymizer(create: true) : nil
        let thisYear = Calendar(identifier: .gregorian).component(.year, from: Date())
        let candidates = BuiltinParsers.factories + (try CustomParsers.load(files: parserFiles, data: directory))
        var forced: ParserFactory? = nil
        if let format {
            guard let f = candidates.first(where: { $0.descriptor.id == format }) else {
                throw CLIError("unknown format '\(format)'; `canopy discover formats` lists them")
            }
            forced = f
        }
        let options = DiscoveryRunner.Options(
            parser: forced,
            candidates: candidates,
            jobs: jobs,
            context: ParseContext(defaultYear: year ?? thisYear, capturesDetail: false)
        )
        let progress = quiet ? nil : ProgressPrinter()
        var onProgress: (@Sendable (Int64) -> Void)? = nil
        if let progress { onProgress = { progress.update($0) } }
        let runner = DiscoveryRunner(matcher: matcher, options: options, progress: onProgress)
        let result = runner.run(paths: inputs)
        progress?.finish()

        for failure in result.failures {
            var message = "canopy: \(failure.source): \(failure.reason)"
            if !failure.closestFormats.isEmpty {
                message +=
                    "; closest formats: \(failure.closestFormats.joined(separator: ", ")) (use --format to force one)"
            }
            Console.error(message)
        }
        let records = result.sources.reduce(0) { $0 + $1.statistics.records }
        if records == 0 {
            Console.error("canopy: no traffic records were parsed from the input.")
            for source in result.sources {
                let top = source.statistics.rejected.sorted { $0.value.count > $1.value.count }.prefix(3)
                let reasons = top.map { "\($0.key.rawValue) ×\($0.value.count)" }.joined(separator: ", ")
                Console.error("  \(source.name): read as \(source.parser); \(reasons)")
            }
            throw ExitCode(1)
        }
        let builder = DiscoveryReportBuilder(
            catalog: catalog,
            settings: settings,
            scorer: CatalogResources.scorer(catalog, settings),
            topCount: top,
            pseudonymize: pseudonymizer(anonymizer)
        )
        let report = builder.build(
            result.aggregator,
            sources: result.sources,
            generatedAt: Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
        )
        let text: String
        switch output {
        case .table: text = report.renderTable()
        case .json: text = try JSONOutput.string(report)
        case .csv: text = report.renderCSV(DiscoveryReport.CSVSection(rawValue: section) ?? .apps)
        case .html: text = report.renderHTML()
        }
        if let outputFile {
            try Data(text.utf8).write(to: URL(fileURLWithPath: outputFile), options: .atomic)
            Console.error("canopy: report written to \(outputFile)")
        } else {
            Console.out(text)
        }
        if !result.failures.isEmpty { throw ExitCode(2) }
    }

    private func pseudonymizer(_ anonymizer: Anonymizer?) -> (@Sendable (String) -> String)? {
        guard let anonymizer else { return nil }
        return { anonymizer.token(for: $0) }
    }
}
