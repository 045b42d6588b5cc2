import ArgumentParser
import CanopyDiscovery

/// A row of `catalog list` / `catalog search`.
private struct AppRow: Encodable {
    var id: String
    var name: String
    var category: String
    var score: Double?
    var level: String
    var tags: [String]
    var domains: [String]
}

private func rows(_ apps: [CatalogApp], _ catalog: AppCatalog, _ settings: DiscoverySettings) -> [AppRow] {
    let scorer = CatalogResources.scorer(catalog, settings)
    return apps.map { app in
        let score = scorer.score(appID: app.id)
        return AppRow(
            id: app.id,
            name: app.name,
            category: app.category,
            score: score.map { ($0 * 10).rounded() / 10 },
            level: RiskLevel(score: score).rawValue,
            tags: settings.tags(of: app.id),
            domains: app.domains
        )
    }
}

private func printRows(_ rows: [AppRow], json: Bool) throws {
    if json {
        Console.out(try JSONOutput.string(rows))
        return
    }
    var table = TextTable(headers: ["Id", "Name", "Category", "Score", "Risk", "Tags", "Domains"], rightAligned: [3])
    for r in rows {
        table.add([
            r.id, r.name, r.category, Units.score(r.score), r.level, r.tags.joined(separator: ","),
            r.domains.prefix(3).joined(separator: " ") + (r.domains.count > 3 ? " …" : ""),
        ])
    }
    Console.out(table.render())
}

/// `canopy catalog list`.
struct CatalogListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List catalog apps.")

    @OptionGroup var options: CatalogOptions
    @OptionGroup var output: TableOrJSONOption
    @Option(help: "Only apps of this category id.") var category: String?
    @Option(help: "Only apps with this tag (e.g. sanctioned, unsanctioned).") var tag: String?
    @Option(help: "Only apps at this risk level: low, medium, high, unscored.") var level: String?

    func run() async throws {
        let settings = try DataDirectory(path: options.data).loadSettings()
        let catalog = try CatalogResources.load(override: options.catalog, settings: settings)
        var apps = catalog.apps.sorted { $0.id < $1.id }
        if let category { apps = apps.filter { $0.category == category } }
        if let tag { apps = apps.filter { settings.tags(of: $0.id).contains(tag) } }
        var list = rows(apps, catalog, settings)
        if let level { list = list.filter { $0.level == level } }
        try printRows(list, json: output.output == .json)
    }
}

/// `canopy catalog search TEXT`.
struct CatalogSearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search apps by name, id, vendor, category or domain."
    )

    @Argument(help: "Text to look for.") var text: String
    @OptionGroup var options: CatalogOptions
    @OptionGroup var output: TableOrJSONOption
    @Option(help: "At most this many results.") var limit: Int = 50

    func run() async throws {
        let settings = try DataDirectory(path: options.data).loadSettings()
        let catalog = try CatalogResources.load(override: options.catalog, settings: settings)
        try printRows(rows(catalog.search(text, limit: limit), catalog, settings), json: output.output == .json)
    }
}

/// `canopy catalog show APP`: the app and its score explained factor by factor.
struct CatalogShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an app and explain its risk score factor by factor."
    )

    @Argument(help: "App id (or a name; the best search match is shown).") var app: String
    @OptionGroup var options: CatalogOptions
    @OptionGroup var output: TableOrJSONOption

    private struct Detail: Encodable {
        var app: CatalogApp
        var categoryName: String
        var tags: [String]
        var asOf: String?
        var risk: RiskExplanation
        var level: RiskLevel
    }

    func run() async throws {
        let settings = try DataDirectory(path: options.data).loadSettings()
        let catalog = try CatalogResources.load(override: options.catalog, settings: settings)
        guard let found = catalog.app(id: app) ?? catalog.search(app, limit: 1).first else {
            throw CLIError("no app matches '\(app)'; try `canopy catalog search`")
        }
        let explanation = CatalogResources.scorer(catalog, settings).explain(appID: found.id)
        let detail = Detail(
            app: found,
            categoryName: catalog.category(id: found.category)?.name ?? found.category,
            tags: settings.tags(of: found.id),
            asOf: catalog.facts[found.id]?.asOf,
            risk: explanation,
            level: explanation.level
        )
        if output.output == .json {
            Console.out(try JSONOutput.string(detail))
            return
        }
        var out = "\(found.name) (\(found.id))\n"
        out += "Category: \(detail.categoryName)"
        if let vendor = found.vendor { out += " · Vendor: \(vendor)" }
        if let website = found.website { out += " · \(website)" }
        out += "\nDomains: \(found.domains.joined(separator: ", "))\n"
        if let hosts = found.hosts, !hosts.isEmpty { out += "Hosts: \(hosts.joined(separator: ", "))\n" }
        if let ranges = found.ipRanges, !ranges.isEmpty { out += "IP ranges: \(ranges.joined(separator: ", "))\n" }
        if !detail.tags.isEmpty { out += "Tags: \(detail.tags.joined(separator: ", "))\n" }
        out += "\nRisk score: \(Units.score(explanation.score)) / 10 (\(explanation.level.rawValue) risk)"
        if let o = explanation.override {
            out += " — overridden (computed \(Units.score(explanation.computedScore))): \(o.note)"
        }
        out += "\nUnknown values are \(explanation.unknownValues == .ignore ? "ignored" : "counted as 0")."
        if let asOf = detail.asOf { out += " Curated facts as of \(asOf)." }
        out += "\nEach attribute scores 0–10 (10 = safest); groups average their attributes by weight, the total "
        out += "averages the groups by weight (ignored/low/medium/high/very-high = 0/1/2/4/8).\n"
        for group in explanation.groups {
            out += "\n\(group.group.title) — group score \(Units.score(group.score)), weight \(group.weight.rawValue)\n"
            var table = TextTable(
                headers: ["Attribute", "Value", "Score", "Weight", "Counted", "Source"],
                rightAligned: [2]
            )
            for f in group.factors {
                table.add([
                    f.name, f.value ?? "unknown", Units.score(f.score), f.weight.rawValue, f.counted ? "yes" : "no",
                    f.source ?? "",
                ])
            }
            out += table.render(maxCellWidth: 70)
        }
        Console.out(out)
    }
}

/// `canopy catalog validate`: checks the catalog files and the tenant settings.
struct CatalogValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the app catalog and the discovery settings for errors."
    )

    @OptionGroup var options: CatalogOptions
    @OptionGroup var output: TableOrJSONOption

    func run() async throws {
        let settings = try DataDirectory(path: options.data).loadSettings()
        let catalog = try CatalogResources.load(override: options.catalog, settings: settings)
        let issues = CatalogValidator.validate(catalog, settings: settings)
        if output.output == .json {
            Console.out(try JSONOutput.string(issues))
        } else if issues.isEmpty {
            Console.out(
                "catalog OK: \(catalog.apps.count) apps, \(catalog.categories.count) categories, "
                    + "\(catalog.attributes.count) risk attributes, \(catalog.facts.count) apps with curated facts\n"
            )
        } else {
            var table = TextTable(headers: ["Severity", "Where", "Problem"])
            for i in issues { table.add([i.severity.rawValue, i.location, i.message]) }
            Console.out(table.render(maxCellWidth: 100))
        }
        if issues.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
    }
}
