import ArgumentParser
import CanopyDiscovery
import Foundation

/// `canopy deanonymize TOKEN --justification TEXT`: resolve an anonymized user name, audited.
struct DeanonymizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deanonymize",
        abstract: "Resolve an anonymized user or device token to the real name (recorded in the audit file).",
        discussion: "Needs the data directory that holds the anonymization key. Who, when, which token and why are "
            + "appended to audit.log in that directory; the resolved name is not written there."
    )

    @Argument(help: "The token, e.g. anon-…") var token: String
    @Option(help: "Why the real name is needed (required; recorded in the audit file).") var justification: String
    @Option(help: "Data directory (default ./canopy-data or $CANOPY_DATA).") var data: String?
    @Option(name: .shortAndLong, help: "table or json.") var output: OutputFormat = .table

    func validate() throws {
        guard justification.trimmingCharacters(in: .whitespacesAndNewlines).count >= 5 else {
            throw ValidationError("--justification must say why (at least 5 characters)")
        }
    }

    func run() async throws {
        let directory = DataDirectory(path: data)
        let anonymizer: Anonymizer
        do {
            anonymizer = try directory.anonymizer(create: false)
        } catch {
            // Every attempt is on record, also one against a directory without a (valid) key.
            try directory.audit(
                action: "deanonymize",
                details: ["token": token, "justification": justification, "result": "no-key"]
            )
            throw error
        }
        let name = anonymizer.name(for: token)
        try directory.audit(
            action: "deanonymize",
            details: [
                "token": token, "justification": justification, "result": name == nil ? "not-resolved" : "resolved",
            ]
        )
        guard let name else { throw CLIError("'\(token)' is not a token made with this data directory's key") }
        if output == .json {
            Console.out(try JSONOutput.string(["token": token, "name": name]))
        } else {
            Console.out(name + "\n")
        }
    }
}
