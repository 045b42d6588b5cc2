import CanopyCore
import Foundation

/// Generated reference sections of docs/discovery.md (formats and fields), kept fresh by a test.
package enum ReferenceDocs {
    /// Markers that enclose a generated section in a Markdown file.
    package static func markers(_ name: String) -> (begin: String, end: String) {
        (
            "<!-- BEGIN GENERATED \(name) (canopy docs \(name.lowercased())) -->",
            "<!-- END GENERATED \(name) -->"
        )
    }

    /// Every built-in format: id, product, summary, emitted fields and a sample line.
    package static func formats() -> String {
        var out = "| id | product | what it reads | fields |\n|---|---|---|---|\n"
        for d in BuiltinParsers.all.map({ $0.descriptor }) {
            let summary = d.summary.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
            out += "| `\(d.id)`\(d.isGeneric ? " (generic)" : "") | \(d.product) | \(summary) | "
            out += d.fields.map { "`\($0)`" }.joined(separator: " ") + " |\n"
        }
        out += "\nSample lines:\n\n"
        for d in BuiltinParsers.all.map({ $0.descriptor }) {
            out += "- `\(d.id)`:\n\n  ```\n"
            for line in d.sample.split(separator: "\n", omittingEmptySubsequences: false) { out += "  \(line)\n" }
            out += "  ```\n"
        }
        return out
    }

    /// The traffic record fields.
    package static func fields() -> String {
        var out = "| field | meaning |\n|---|---|\n"
        for f in FieldCatalog.traffic { out += "| `\(f.id)` | \(f.summary) |\n" }
        return out
    }

    /// Replaces the generated section `name` inside `document` with `content`; nil if the markers are missing.
    package static func replacing(_ name: String, in document: String, with content: String) -> String? {
        let (begin, end) = markers(name)
        guard let b = document.range(of: begin), let e = document.range(of: end), b.upperBound <= e.lowerBound else {
            return nil
        }
        return String(document[..<b.upperBound]) + "\n" + content + String(document[e.lowerBound...])
    }
}
