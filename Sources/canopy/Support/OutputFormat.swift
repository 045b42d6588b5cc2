import ArgumentParser

/// How a command prints its result.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case csv
    case html
}

/// `--output table|json` for list and report commands that offer only those two.
struct TableOrJSONOption: ParsableArguments {
    @Option(name: .shortAndLong, help: "Output format: table or json.")
    var output: OutputFormat = .table

    func validate() throws {
        guard output == .table || output == .json else {
            throw ValidationError("--output takes table or json for this command")
        }
    }
}
