import ArgumentParser
import CanopyDiscovery
import Foundation

/// `canopy docs formats|fields`: the generated reference, printed or written into docs/discovery.md.
struct DocsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Print generated reference documentation (formats, fields), or update it in a Markdown file."
    )

    @Argument(help: "formats or fields.") var section: String
    @Option(help: "Update the generated section in this Markdown file instead of printing it.") var update: String?

    func validate() throws {
        guard ["formats", "fields"].contains(section) else { throw ValidationError("section is formats or fields") }
    }

    func run() async throws {
        let content = section == "formats" ? ReferenceDocs.formats() : ReferenceDocs.fields()
        guard let update else {
            Console.out(content)
            return
        }
        let document = try String(contentsOfFile: update, encoding: .utf8)
        guard let updated = ReferenceDocs.replacing(section.uppercased(), in: document, with: content) else {
            throw CLIError("\(update) has no generated \(section) markers")
        }
        try Data(updated.utf8).write(to: URL(fileURLWithPath: update), options: .atomic)
    }
}
