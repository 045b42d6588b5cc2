import Foundation
package import Logging

/// Structured logs for `canopy serve`: one JSON object a line on standard error —
/// `{"time":…,"level":…,"label":…,"message":…,"source":…, <metadata>}` — for log shippers and SIEMs.
///
/// Values are strings (metadata lists and dictionaries are flattened to their description). Nothing sensitive is
/// logged by the server in the first place: passwords and tokens never reach a log call.
package struct JSONLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level = .info
    private let label: String
    private let write: @Sendable (String) -> Void

    /// - Parameters:
    ///   - label: the logger's label.
    ///   - write: where lines go (standard error by default; tests capture them).
    package init(label: String, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.write = write
    }

    package static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("time", Self.timestamp()),
            ("level", event.level.rawValue),
            ("label", label),
            ("message", event.message.description),
            ("source", event.source),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() where !["time", "level", "label", "message", "source"].contains(key) {
            fields.append((key, merged[key].map { "\($0)" } ?? ""))
        }
        let body = fields.map { "\"\(JSON.escape($0.0))\":\"\(JSON.escape($0.1))\"" }.joined(separator: ",")
        write("{" + body + "}\n")
    }

    private static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}
