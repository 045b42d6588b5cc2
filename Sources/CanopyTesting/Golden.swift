package import Foundation

/// Golden-file assertions (STYLE.md §10): compare output with `<case>.expected.json`, re-record with
/// `CANOPY_RECORD_GOLDEN=1`. A missing golden file is recorded and reported as a failure.
package enum Golden {
    /// Whether this run records golden files instead of comparing.
    package static var isRecording: Bool { ProcessInfo.processInfo.environment["CANOPY_RECORD_GOLDEN"] == "1" }

    /// Compares `actual` with the file at `url`.
    ///
    /// - Returns: nil when they match (or were recorded on request); otherwise a message with a line diff.
    package static func compare(_ actual: String, with url: URL) -> String? {
        let expected = try? String(contentsOf: url, encoding: .utf8)
        if isRecording || expected == nil {
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return expected == nil
                ? "recorded missing golden file \(url.lastPathComponent); check it and run again" : nil
        }
        guard let expected, expected != actual else { return nil }
        return "\(url.lastPathComponent) differs (re-record with CANOPY_RECORD_GOLDEN=1):\n"
            + diff(expected: expected, actual: actual)
    }

    /// A short unified-style diff: the first differing lines with context.
    package static func diff(expected: String, actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        var shown = 0
        for i in 0..<max(e.count, a.count) where shown < 20 {
            let x = i < e.count ? String(e[i]) : nil
            let y = i < a.count ? String(a[i]) : nil
            if x != y {
                if let x { out.append("-\(i + 1): \(x)") }
                if let y { out.append("+\(i + 1): \(y)") }
                shown += 1
            }
        }
        return out.joined(separator: "\n")
    }

    /// JSON with sorted keys and pretty printing, so diffs are stable.
    package static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "<unencodable>" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
