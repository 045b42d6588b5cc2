import ArgumentParser
import CanopyDiscovery

/// `canopy discover formats`: every supported log format with a sample line.
struct DiscoverFormatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats",
        abstract: "List the log formats Cloud Discovery reads, each with a sample line."
    )

    @OptionGroup var output: TableOrJSONOption

    private struct Entry: Encodable {
        var id: String
        var product: String
        var summary: String
        var sample: String
        var fields: [String]
        var generic: Bool
    }

    func run() async throws {
        let entries = BuiltinParsers.all.map { type in
            let d = type.descriptor
            return Entry(
                id: d.id,
                product: d.product,
                summary: d.summary,
                sample: d.sample,
                fields: d.fields,
                generic: d.isGeneric
            )
        }
        if output.output == .json {
            Console.out(try JSONOutput.string(entries))
            return
        }
        var out = ""
        for e in entries {
            out += "\(e.id)  —  \(e.product)\n    \(e.summary)\n    sample: \(TextTable.printable(e.sample))\n\n"
        }
        out += "\(entries.count) formats. Custom CSV or key-value formats: see docs/discovery.md (custom parsers).\n"
        Console.out(out)
    }
}
