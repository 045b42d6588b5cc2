import CanopyDiscovery
import Foundation
import Yams

/// The data directory (`--data`, `CANOPY_DATA`, default `./canopy-data`): discovery settings, the anonymization
/// key and the audit file. `canopy serve` takes the same directory over later.
struct DataDirectory {
    let url: URL

    init(path: String?) {
        let chosen = path ?? ProcessInfo.processInfo.environment["CANOPY_DATA"] ?? "canopy-data"
        url = URL(fileURLWithPath: chosen, isDirectory: true)
    }

    var settingsURL: URL { url.appendingPathComponent("discovery.yaml") }
    var anonymizationKeyURL: URL { url.appendingPathComponent("anonymization.key") }
    var auditURL: URL { url.appendingPathComponent("audit.log") }

    /// Creates the directory (mode 0700) if needed.
    func ensureExists() throws {
        try FileManager.default.createDirectory(
            at: url,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
    }

    /// The tenant's discovery settings; defaults when the file does not exist.
    func loadSettings() throws -> DiscoverySettings {
        guard FileManager.default.fileExists(atPath: settingsURL.path) else { return DiscoverySettings() }
        let text = try String(contentsOf: settingsURL, encoding: .utf8)
        do {
            return try YAMLDecoder().decode(DiscoverySettings.self, from: text)
        } catch {
            throw CLIError("\(settingsURL.path) is not valid discovery settings: \(error)")
        }
    }

    func saveSettings(_ settings: DiscoverySettings) throws {
        try ensureExists()
        let text = try YAMLEncoder().encode(settings)
        let header = "# Canopy Cloud Discovery settings: app tags, custom apps and risk-score tuning.\n"
        try Data((header + text).utf8).write(to: settingsURL, options: .atomic)
    }

    /// The per-tenant anonymization key, created (mode 0600) on first use.
    func anonymizer(create: Bool) throws -> Anonymizer {
        let fm = FileManager.default
        if !fm.fileExists(atPath: anonymizationKeyURL.path) {
            guard create else { throw CLIError("no anonymization key in \(url.path): nothing was anonymized here") }
            try ensureExists()
            let key = Anonymizer.generateKey().base64EncodedString()
            guard
                fm.createFile(
                    atPath: anonymizationKeyURL.path,
                    contents: Data(key.utf8),
                    attributes: [.posixPermissions: 0o600]
                )
            else { throw CLIError("cannot create \(anonymizationKeyURL.path)") }
        }
        let text = try String(contentsOf: anonymizationKeyURL, encoding: .utf8).trimmingCharacters(
            in: .whitespacesAndNewlines
        )
        guard let data = Data(base64Encoded: text), let anonymizer = Anonymizer(keyData: data) else {
            throw CLIError("\(anonymizationKeyURL.path) does not hold a 32-byte base64 key")
        }
        return anonymizer
    }

    /// Appends one JSON line to the audit file (who, when, what, why).
    func audit(action: String, details: [String: String]) throws {
        try ensureExists()
        var entry = details
        entry["action"] = action
        entry["time"] = ISO8601DateFormatter().string(from: Date())
        entry["actor"] =
            ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var line = try encoder.encode(entry)
        line.append(10)
        if !FileManager.default.fileExists(atPath: auditURL.path) {
            _ = FileManager.default.createFile(
                atPath: auditURL.path,
                contents: nil,
                attributes: [.posixPermissions: 0o600]
            )
        }
        let handle = try FileHandle(forWritingTo: auditURL)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
    }
}

/// A user-facing error: printed as is, exit code 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
