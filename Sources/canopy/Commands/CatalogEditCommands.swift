import ArgumentParser
import CanopyDiscovery
import Foundation

/// Loads settings, applies a change, saves and audits it: every catalog edit goes through here.
private func edit(
    _ options: CatalogOptions,
    action: String,
    details: [String: String],
    _ change: (inout DiscoverySettings, AppCatalog) throws -> String
) throws {
    let directory = DataDirectory(path: options.data)
    var settings = try directory.loadSettings()
    let catalog = try CatalogResources.load(override: options.catalog, settings: settings)
    let message = try change(&settings, catalog)
    let issues = CatalogValidator.validate(
        try CatalogResources.load(override: options.catalog, settings: settings),
        settings: settings
    ).filter { $0.severity == .error && $0.location.hasPrefix("discovery.yaml") }
    if let first = issues.first { throw CLIError("not saved: \(first.location): \(first.message)") }
    try directory.saveSettings(settings)
    try directory.audit(action: action, details: details)
    Console.out(message + "\n")
}

private func requireApp(_ id: String, _ catalog: AppCatalog) throws -> CatalogApp {
    guard let app = catalog.app(id: id) else { throw CLIError("no app with id '\(id)'; try `canopy catalog search`") }
    return app
}

/// The one implementation of `tag`, `sanction` and `unsanction`: puts `tag` on each of `apps` (catalog apps only)
/// and audits it as `catalog.<command>` with the apps and `details`.
///
/// - Parameters:
///   - tag: the tag to add.
///   - apps: the app ids.
///   - options: where the settings are.
///   - command: the command's name, for the audit record.
///   - details: what else the audit record holds.
///   - message: what to print, given the app ids joined with commas.
/// - Throws: ``CLIError`` for an unknown app or settings that do not validate, and any load or save error.
private func addTag(
    _ tag: String,
    to apps: [String],
    _ options: CatalogOptions,
    command: String,
    details: [String: String] = [:],
    message: (String) -> String
) throws {
    var details = details
    details["apps"] = apps.joined(separator: ",")
    try edit(options, action: "catalog.\(command)", details: details) { s, c in
        for app in apps { s.tag(try requireApp(app, c).id, with: tag) }
        return message(apps.joined(separator: ", "))
    }
}

/// `canopy catalog tag APP TAG`.
struct CatalogTagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tag", abstract: "Add a tag to apps.")
    @Argument(help: "The tag (lowercase letters, digits, dashes).") var tag: String
    @Argument(help: "App ids.") var apps: [String]
    @OptionGroup var options: CatalogOptions

    func validate() throws {
        guard DiscoverySettings.isValidTag(tag) else {
            throw ValidationError("a tag is lowercase letters, digits and dashes")
        }
    }

    func run() async throws {
        try addTag(tag, to: apps, options, command: "tag", details: ["tag": tag]) { "tagged \($0) \(tag)" }
    }
}

/// `canopy catalog untag APP TAG`.
struct CatalogUntagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "untag", abstract: "Remove a tag from apps.")
    @Argument(help: "The tag.") var tag: String
    @Argument(help: "App ids.") var apps: [String]
    @OptionGroup var options: CatalogOptions

    func run() async throws {
        try edit(options, action: "catalog.untag", details: ["tag": tag, "apps": apps.joined(separator: ",")]) { s, _ in
            for app in apps { s.untag(app, tag: tag) }
            return "removed \(tag) from \(apps.joined(separator: ", "))"
        }
    }
}

/// `canopy catalog sanction APP…`.
struct CatalogSanctionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sanction", abstract: "Mark apps as sanctioned.")
    @Argument(help: "App ids.") var apps: [String]
    @OptionGroup var options: CatalogOptions

    func run() async throws {
        try addTag(DiscoverySettings.sanctioned, to: apps, options, command: "sanction") { "sanctioned \($0)" }
    }
}

/// `canopy catalog unsanction APP…`.
struct CatalogUnsanctionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unsanction",
        abstract: "Mark apps as unsanctioned (they go into block lists)."
    )
    @Argument(help: "App ids.") var apps: [String]
    @OptionGroup var options: CatalogOptions

    func run() async throws {
        try addTag(DiscoverySettings.unsanctioned, to: apps, options, command: "unsanction") {
            "unsanctioned \($0); `canopy blocklist --format …` writes the block list"
        }
    }
}

/// `canopy catalog override APP --score N --note TEXT` (or `--clear`).
struct CatalogOverrideCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "override",
        abstract: "Set (or clear) a fixed risk score for an app, with a note saying why."
    )
    @Argument(help: "App id.") var app: String
    @Option(help: "The score, 0–10.") var score: Double?
    @Option(help: "Why (required with --score).") var note: String?
    @Flag(help: "Remove the override.") var clear = false
    @OptionGroup var options: CatalogOptions

    func validate() throws {
        if clear { return }
        guard let score, (0...10).contains(score) else { throw ValidationError("--score takes a number from 0 to 10") }
        guard let note, !note.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--note is required: say why the score is overridden")
        }
    }

    func run() async throws {
        var details = ["app": app]
        if let score { details["score"] = String(score) }
        if let note { details["note"] = note }
        try edit(options, action: clear ? "catalog.override.clear" : "catalog.override", details: details) { s, c in
            let id = try requireApp(app, c).id
            if clear {
                s.scoring.overrides[id] = nil
                return "cleared the score override of \(id)"
            }
            s.scoring.overrides[id] = ScoringSettings.Override(score: score ?? 0, note: note ?? "")
            return "\(id) now scores \(Units.score(score))"
        }
    }
}

/// `canopy catalog weight NAME WEIGHT`: tune an attribute's or a group's weight; `--unknown` sets how unknowns count.
struct CatalogWeightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weight",
        abstract: "Set the weight of a risk attribute or group (ignored, low, medium, high, very-high).",
        discussion: "Use a group name (general, security, compliance, legal) or an attribute id (see `catalog show`). "
            + "`--unknown ignore|penalize` sets whether unknown values are left out or count as 0."
    )
    @Argument(help: "Attribute id or group name.") var name: String?
    @Argument(help: "ignored, low, medium, high or very-high; 'default' removes the tuning.") var weight: String?
    @Option(help: "ignore or penalize unknown values.") var unknown: String?
    @OptionGroup var options: CatalogOptions

    func validate() throws {
        if let unknown, ScoringSettings.UnknownValues(rawValue: unknown) == nil {
            throw ValidationError("--unknown takes ignore or penalize")
        }
        if let weight, weight != "default", RiskWeight(rawValue: weight) == nil {
            throw ValidationError("weight must be ignored, low, medium, high, very-high or default")
        }
        if (name == nil) != (weight == nil) { throw ValidationError("give both a name and a weight") }
        if name == nil && unknown == nil { throw ValidationError("nothing to change") }
    }

    func run() async throws {
        var details: [String: String] = [:]
        if let name { details["name"] = name }
        if let weight { details["weight"] = weight }
        if let unknown { details["unknown"] = unknown }
        try edit(options, action: "catalog.weight", details: details) { s, c in
            if let unknown, let mode = ScoringSettings.UnknownValues(rawValue: unknown) {
                s.scoring.unknownValues = mode
            }
            guard let name, let weight else { return "unknown values: \(s.scoring.unknownValues.rawValue)" }
            let w = RiskWeight(rawValue: weight)
            if let group = RiskGroup(rawValue: name) {
                s.scoring.groupWeights[group] = w
            } else if c.attributes.contains(where: { $0.id == name }) {
                s.scoring.attributeWeights[name] = w
            } else {
                throw CLIError("'\(name)' is neither a group nor an attribute id")
            }
            return "\(name): \(weight)"
        }
    }
}

/// `canopy catalog custom-app add|remove`: the tenant's own apps.
struct CatalogCustomAppCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custom-app",
        abstract: "Add or remove a custom app (your own domains and IP ranges)."
    )
    @Argument(help: "add or remove.") var action: String
    @Argument(help: "App id (lowercase slug).") var id: String
    @Option(help: "Display name.") var name: String?
    @Option(help: "Category id (see categories in `catalog list --output json`).") var category: String?
    @Option(parsing: .upToNextOption, help: "Domain suffixes.") var domain: [String] = []
    @Option(parsing: .upToNextOption, help: "IP ranges (CIDR).") var ipRange: [String] = []
    @Option(help: "A fixed risk score 0–10 for this app.") var score: Double?
    @OptionGroup var options: CatalogOptions

    func validate() throws {
        guard action == "add" || action == "remove" else { throw ValidationError("action is add or remove") }
        guard CatalogValidator.isSlug(id) else {
            throw ValidationError("the id is lowercase letters, digits and dashes")
        }
        if action == "add" {
            guard name != nil, category != nil else { throw ValidationError("add needs --name and --category") }
            guard !domain.isEmpty || !ipRange.isEmpty else { throw ValidationError("add needs --domain or --ip-range") }
            if let score, !(0...10).contains(score) { throw ValidationError("--score takes 0–10") }
        }
    }

    func run() async throws {
        let details = ["id": id, "domains": domain.joined(separator: ","), "ipRanges": ipRange.joined(separator: ",")]
        try edit(options, action: "catalog.custom-app.\(action)", details: details) { s, _ in
            s.customApps.removeAll { $0.id == id }
            if action == "remove" {
                s.scoring.overrides[id] = nil
                return "removed custom app \(id)"
            }
            s.customApps.append(
                CatalogApp(
                    id: id,
                    name: name ?? id,
                    category: category ?? "",
                    domains: domain.map { $0.lowercased() },
                    ipRanges: ipRange.isEmpty ? nil : ipRange,
                    source: "custom"
                )
            )
            if let score { s.scoring.overrides[id] = ScoringSettings.Override(score: score, note: "custom app score") }
            return "added custom app \(id)"
        }
    }
}

/// `canopy catalog settings`: the current tuning, tags and custom apps.
struct CatalogSettingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Show the discovery settings: weights, overrides, tags, custom apps."
    )
    @OptionGroup var options: CatalogOptions
    @OptionGroup var output: TableOrJSONOption

    func run() async throws {
        let directory = DataDirectory(path: options.data)
        let settings = try directory.loadSettings()
        if output.output == .json {
            Console.out(try JSONOutput.string(settings))
            return
        }
        var out =
            "Settings file: \(directory.settingsURL.path)\nUnknown values: \(settings.scoring.unknownValues.rawValue)\n"
        out +=
            "Group weights: "
            + RiskGroup.allCases.map { "\($0.rawValue)=\(settings.scoring.weight(of: $0).rawValue)" }
            .joined(separator: " ") + "\n"
        for (k, v) in settings.scoring.attributeWeights.sorted(by: { $0.key < $1.key }) {
            out += "Attribute weight: \(k)=\(v.rawValue)\n"
        }
        for (k, v) in settings.scoring.overrides.sorted(by: { $0.key < $1.key }) {
            out += "Override: \(k) = \(Units.score(v.score)) (\(v.note))\n"
        }
        for (k, v) in settings.tags.sorted(by: { $0.key < $1.key }) {
            out += "Tags: \(k): \(v.joined(separator: ", "))\n"
        }
        for app in settings.customApps { out += "Custom app: \(app.id) \(app.domains + (app.ipRanges ?? []))\n" }
        Console.out(out)
    }
}
