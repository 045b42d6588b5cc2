import ArgumentParser

/// `canopy discover`: Cloud Discovery over traffic logs.
struct DiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Find the cloud apps in firewall and proxy logs (Cloud Discovery snapshot report).",
        discussion: """
            canopy discover FILE… reads logs (files, directories, .gz, .zip, or - for stdin), detects their format \
            and prints the report; `run` is the default subcommand, so its options go straight after `discover`:

              canopy discover access.log --output json          # --output table|json|csv|html
              canopy discover logs/ --output html --out report.html
              canopy discover fw.log --format paloalto.traffic --anonymize

            `canopy discover run --help` lists every option; `canopy discover formats` lists the log formats.
            """,
        subcommands: [DiscoverRunCommand.self, DiscoverFormatsCommand.self],
        defaultSubcommand: DiscoverRunCommand.self
    )
}
