/// A plain-text table for the terminal: columns padded to their widest cell, numbers right-aligned.
package struct TextTable: Sendable {
    package var headers: [String]
    package var rows: [[String]] = []
    /// Columns to right-align (numbers).
    package var rightAligned: Set<Int>

    package init(headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    package mutating func add(_ row: [String]) { rows.append(row) }

    /// The table as lines of text, with a rule under the header.
    package func render(maxCellWidth: Int = 48) -> String {
        let clipped = rows.map { $0.map { Self.clip(Self.printable($0), maxCellWidth) } }
        var widths = headers.map(\.count)
        for row in clipped {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, w) in widths.enumerated() {
                let cell = i < cells.count ? cells[i] : ""
                let pad = String(repeating: " ", count: max(0, w - cell.count))
                parts.append(rightAligned.contains(i) ? pad + cell : cell + pad)
            }
            var s = parts.joined(separator: "  ")
            while s.hasSuffix(" ") { s.removeLast() }
            return s
        }
        var out = [line(headers), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += clipped.map(line)
        return out.joined(separator: "\n") + "\n"
    }

    /// Control characters from log data would move the terminal's cursor: show them as `?`.
    package static func printable(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 || (0x80..<0xA0).contains($0.value) })
        else { return s }
        return String(
            String.UnicodeScalarView(
                s.unicodeScalars.map { $0.value < 32 || $0.value == 127 || (0x80..<0xA0).contains($0.value) ? "?" : $0 }
            )
        )
    }

    private static func clip(_ s: String, _ width: Int) -> String {
        s.count <= width ? s : String(s.prefix(width - 1)) + "…"
    }
}

/// Human-readable sizes and numbers for reports.
package enum Units {
    /// `1536` → `1.5 KB` (powers of 1024, as data-volume reports usually show).
    package static func bytes(_ value: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB", "PB"]
        var v = Double(value)
        var i = 0
        while v >= 1024 && i < units.count - 1 {
            v /= 1024
            i += 1
        }
        if i == 0 { return "\(value) B" }
        return "\(Self.oneDecimal(v)) \(units[i])"
    }

    /// One decimal place without Foundation formatting.
    package static func oneDecimal(_ v: Double) -> String {
        let tenths = Int64((v * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }

    /// A score with one decimal, or "–" when unscored.
    package static func score(_ v: Double?) -> String { v.map(oneDecimal) ?? "-" }

    /// `0.9876` → `98.8%`.
    package static func percent(_ v: Double) -> String { oneDecimal(v * 100) + "%" }
}
