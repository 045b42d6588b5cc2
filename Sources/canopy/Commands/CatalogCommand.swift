import ArgumentParser

/// `canopy catalog`: the app catalog, risk scores, tags and custom apps.
struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Browse the app catalog, explain risk scores, tag apps and tune the score.",
        subcommands: [
            CatalogListCommand.self, CatalogSearchCommand.self, CatalogShowCommand.self, CatalogValidateCommand.self,
            CatalogTagCommand.self, CatalogUntagCommand.self, CatalogSanctionCommand.self,
            CatalogUnsanctionCommand.self, CatalogOverrideCommand.self, CatalogWeightCommand.self,
            CatalogCustomAppCommand.self, CatalogSettingsCommand.self,
        ]
    )
}

/// Options every catalog command shares.
struct CatalogOptions: ParsableArguments {
    @Option(help: "Data directory with settings and tags (default ./canopy-data or $CANOPY_DATA).")
    var data: String?

    @Option(help: "App catalog directory (default: the catalog built into canopy).")
    var catalog: String?
}
