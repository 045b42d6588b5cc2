import ArgumentParser

/// `canopy discover`: Cloud Discovery over traffic logs.
struct DiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Find the cloud apps in firewall and proxy logs (Cloud Discovery snapshot report).",
        subcommands: [DiscoverRunCommand.self, DiscoverFormatsCommand.self],
        defaultSubcommand: DiscoverRunCommand.self
    )
}
