import ArgumentParser
import CanopyCollector
import CanopyDiscovery
import CanopyServer
import CanopyStore
import Foundation

/// `canopy datasource`: the continuous Cloud Discovery feeds of `canopy serve` (kept in the data directory's store).
struct DataSourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasource",
        abstract: "Add, list and remove continuous discovery data sources.",
        discussion: """
            A data source is a syslog port (udp, tcp or tls — RFC 3164 or 5424, newline or octet-counting framing) \
            or a watched folder, with the log format its devices send. A running `canopy serve` picks changes up \
            within seconds. Adding and removing are recorded in the audit log.

              canopy datasource add --name hq-squid --format squid.native --transport tcp --port 5514
              canopy datasource add --name fw-drop --format paloalto.traffic --transport folder --path /srv/fw-logs
              canopy datasource list --output json
              canopy datasource remove 2
            """,
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a data source."
        )

        @Option(help: "The data directory.") var data: String = "canopy-data"
        @Option(help: "A unique name (letters, digits, '-', '_', '.').") var name: String
        @Option(help: "The log format (an id from `canopy discover formats`).") var format: String
        @Option(help: "udp, tcp, tls or folder.") var transport: String
        @Option(help: "The syslog port (udp, tcp, tls).") var port: Int?
        @Option(help: "The folder to watch (folder); made absolute.") var path: String?
        @OptionGroup var output: TableOrJSONOption

        func run() async throws {
            guard let kind = DataSource.Transport(rawValue: transport) else {
                throw ValidationError("--transport takes udp, tcp, tls or folder")
            }
            let store = try await TokenCommand.openStore(data)
            let folder = path.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            let draft = DataSourceDraft(name: name, format: format, transport: kind, port: port, path: folder)
            let formats =
                BuiltinParsers.factories + (try CustomParsers.load(files: [], data: DataDirectory(path: data)))
            let now = CanopyServer.now()
            var source: DataSource
            do {
                source = try draft.validated(
                    existing: try await store.dataSources(),
                    formats: Set(formats.map(\.descriptor.id)),
                    by: TokenCommand.actor,
                    at: now
                )
            } catch let error as CollectorError {
                throw ValidationError(error.description)
            }
            guard let id = try await store.createDataSource(source) else {
                throw ValidationError("a data source named \(name) exists")
            }
            source.id = id
            try await store.appendAudit(
                AuditEntry(
                    time: now,
                    actor: TokenCommand.actor,
                    action: "datasource.create",
                    target: name,
                    detail: source.summary,
                    sourceIP: nil
                )
            )
            if output.output == .json {
                Console.out(try JSONOutput.string(source))
            } else {
                Console.out("data source \(id) (\(name)) added\n")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List data sources with what they received."
        )

        @Option(help: "The data directory.") var data: String = "canopy-data"
        @OptionGroup var output: TableOrJSONOption

        func run() async throws {
            let store = try await TokenCommand.openStore(data)
            let intakes = try await store.intakes()
            let now = CanopyServer.now()
            struct Item: Encodable {
                var source: DataSource
                var status: String
                var intake: DataSourceIntake
            }
            let items = try await store.dataSources().map { source in
                let intake = intakes[source.id] ?? DataSourceIntake()
                let health = DataSourceHealth(source: source, intake: intake, now: now)
                return Item(source: source, status: health.status.rawValue, intake: intake)
            }
            if output.output == .json {
                Console.out(try JSONOutput.string(items))
                return
            }
            var out =
                "ID  STATUS        TRANSPORT        FORMAT                 LINES      RECORDS    REJECTED   NAME\n"
            for i in items {
                let place = i.source.port.map { "\(i.source.transport.rawValue)/\($0)" } ?? i.source.transport.rawValue
                out +=
                    "\(i.source.id)".padding(toLength: 4, withPad: " ", startingAt: 0)
                    + i.status.padding(toLength: 14, withPad: " ", startingAt: 0)
                    + place.padding(toLength: 17, withPad: " ", startingAt: 0)
                    + i.source.format.padding(toLength: 23, withPad: " ", startingAt: 0)
                    + "\(i.intake.lines)".padding(toLength: 11, withPad: " ", startingAt: 0)
                    + "\(i.intake.records)".padding(toLength: 11, withPad: " ", startingAt: 0)
                    + "\(i.intake.rejected)".padding(toLength: 11, withPad: " ", startingAt: 0) + i.source.name + "\n"
            }
            Console.out(items.isEmpty ? "no data sources\n" : out)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a data source and its counters."
        )

        @Option(help: "The data directory.") var data: String = "canopy-data"
        @Argument(help: "The data source's id (from `canopy datasource list`).") var id: Int64

        func run() async throws {
            let store = try await TokenCommand.openStore(data)
            guard let source = try await store.dataSources().first(where: { $0.id == id }),
                try await store.deleteDataSource(id: id)
            else {
                Console.error("canopy: no data source with id \(id)")
                throw ExitCode(1)
            }
            try await store.appendAudit(
                AuditEntry(
                    time: CanopyServer.now(),
                    actor: TokenCommand.actor,
                    action: "datasource.delete",
                    target: source.name,
                    detail: "id \(id)",
                    sourceIP: nil
                )
            )
            Console.out("data source \(id) (\(source.name)) removed\n")
        }
    }
}
