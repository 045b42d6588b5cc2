import ArgumentParser

/// The `canopy` command: one binary for every Canopy role.
@main
struct Canopy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canopy",
        abstract: "Canopy — a self-hosted Cloud Access Security Broker.",
        discussion: """
            Start with Cloud Discovery: feed it the firewall or proxy logs you already have and see which cloud \
            apps your organization uses, who uses them, how much data went where, and how risky each app is.

              canopy discover /var/log/squid/access.log
              canopy discover formats
              canopy catalog show dropbox
              canopy catalog unsanction mega && canopy blocklist --format squid
              canopy serve                       # the server (so far: data directory, first admin, /healthz)

            Every command that prints a report or a list takes --output table|json.
            """,
        version: "0.1.0",
        subcommands: [
            DiscoverCommand.self, CatalogCommand.self, BlocklistCommand.self, DeanonymizeCommand.self, DocsCommand.self,
            ServeCommand.self, TokenCommand.self, DataSourceCommand.self,
        ]
    )
}
