import ArgumentParser
import CanopyDiscovery
import Foundation

/// `canopy blocklist --format F`: a block list of unsanctioned apps for an appliance.
struct BlocklistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blocklist",
        abstract: "Write a block list of the unsanctioned apps for a firewall, proxy or DNS server.",
        discussion:
            "Tag apps with `canopy catalog unsanction APP…` first. `canopy blocklist --list-formats` shows the formats."
    )

    @Option(help: "The appliance format (see --list-formats).") var format: String?
    @Flag(help: "List the formats and exit.") var listFormats = false
    @Option(help: "The list/ACL/object name written into the output.") var name: String = "canopy_unsanctioned"
    @Option(name: [.customLong("out"), .customShort("f")], help: "Write to this file instead of stdout.")
    var outputFile: String?
    @Option(name: .shortAndLong, help: "With --list-formats: table or json.") var output: OutputFormat = .table
    @OptionGroup var options: CatalogOptions

    func validate() throws {
        if listFormats { return }
        guard let format else { throw ValidationError("--format is required (see --list-formats)") }
        guard BuiltinBlocklists.named(format) != nil else {
            throw ValidationError(
                "unknown format '\(format)'; formats: \(BuiltinBlocklists.all.map { $0.descriptor.id }.joined(separator: ", "))"
            )
        }
        guard !name.isEmpty,
            name.utf8.allSatisfy({
                ($0 >= 97 && $0 <= 122) || ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 95
            })
        else { throw ValidationError("--name takes letters, digits, '-' and '_'") }
    }

    private struct FormatRow: Encodable {
        var id: String
        var product: String
        var usage: String
    }

    func run() async throws {
        if listFormats {
            let rows = BuiltinBlocklists.all.map {
                FormatRow(id: $0.descriptor.id, product: $0.descriptor.product, usage: $0.descriptor.usage)
            }
            if output == .json {
                Console.out(try JSONOutput.string(rows))
            } else {
                var table = TextTable(headers: ["Format", "Appliance", "Usage"])
                for r in rows { table.add([r.id, r.product, r.usage]) }
                Console.out(table.render(maxCellWidth: 90))
            }
            return
        }
        guard let format, let generator = BuiltinBlocklists.named(format) else { return }
        let directory = DataDirectory(path: options.data)
        let settings = try directory.loadSettings()
        let catalog = try CatalogResources.load(override: options.catalog, settings: settings)
        let entries = settings.unsanctionedApps.compactMap { catalog.app(id: $0) }.map(BlocklistEntry.init(app:))
        if entries.isEmpty { Console.error("canopy: no app is tagged unsanctioned; the list is empty") }
        let text = generator.render(
            entries,
            context: BlocklistContext(name: name, generatedAt: ISO8601DateFormatter().string(from: Date()))
        )
        if let outputFile {
            try Data(text.utf8).write(to: URL(fileURLWithPath: outputFile), options: .atomic)
            Console.error("canopy: \(entries.count) apps written to \(outputFile)")
        } else {
            Console.out(text)
        }
    }
}
