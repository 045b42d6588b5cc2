import CanopyDiscovery

/// Charts as inline SVG (no script, no external assets). Every label is escaped here, because templates insert the
/// result unescaped.
enum SVGChart {
    struct Bar {
        var label: String
        var value: Double
        /// The value as shown (e.g. "1.2 GB").
        var text: String
    }

    /// Horizontal bars, longest first as given, with labels on the left and values on the right.
    static func bars(_ bars: [Bar], title: String, width: Int = 520) -> String {
        guard !bars.isEmpty else { return empty(title) }
        let rowHeight = 26
        let labelWidth = 170
        let valueWidth = 90
        let plot = Double(width - labelWidth - valueWidth - 12)
        let top = bars.map(\.value).max() ?? 0
        let height = bars.count * rowHeight + 8
        var svg = """
            <svg class="chart" role="img" aria-label="\(HTML.escape(title))" viewBox="0 0 \(width) \(height)" \
            width="100%" xmlns="http://www.w3.org/2000/svg"><title>\(HTML.escape(title))</title>
            """
        for (i, bar) in bars.enumerated() {
            let y = i * rowHeight + 4
            let length = top > 0 ? max(2, bar.value / top * plot) : 2
            let label = bar.label.count > 26 ? String(bar.label.prefix(25)) + "…" : bar.label
            svg += """
                <text x="0" y="\(y + 17)" class="chart-label">\(HTML.escape(label))</text>\
                <rect x="\(labelWidth)" y="\(y + 4)" width="\(format(length))" height="16" rx="3" class="chart-bar">\
                <title>\(HTML.escape(bar.label)): \(HTML.escape(bar.text))</title></rect>\
                <text x="\(width - valueWidth + 4)" y="\(y + 17)" class="chart-value">\(HTML.escape(bar.text))</text>
                """
        }
        return svg + "</svg>"
    }

    struct Point {
        /// The x-axis label (a day).
        var label: String
        var value: Double
        var text: String
    }

    /// Columns over time (one per point), with the first and last labels under the axis.
    static func columns(_ points: [Point], title: String, width: Int = 720, height: Int = 160) -> String {
        guard !points.isEmpty else { return empty(title) }
        let plotHeight = Double(height - 24)
        let top = points.map(\.value).max() ?? 0
        let step = Double(width) / Double(points.count)
        var svg = """
            <svg class="chart" role="img" aria-label="\(HTML.escape(title))" viewBox="0 0 \(width) \(height)" \
            width="100%" xmlns="http://www.w3.org/2000/svg"><title>\(HTML.escape(title))</title>
            """
        for (i, point) in points.enumerated() {
            let h = top > 0 ? max(1, point.value / top * plotHeight) : 1
            svg += """
                <rect x="\(format(Double(i) * step + 1))" y="\(format(plotHeight - h))" width="\(format(max(1, step - 2)))" \
                height="\(format(h))" class="chart-bar"><title>\(HTML.escape(point.label)): \
                \(HTML.escape(point.text))</title></rect>
                """
        }
        if let first = points.first, let last = points.last {
            svg += """
                <text x="0" y="\(height - 6)" class="chart-label">\(HTML.escape(first.label))</text>\
                <text x="\(width)" y="\(height - 6)" text-anchor="end" class="chart-label">\(HTML.escape(last.label))</text>
                """
        }
        return svg + "</svg>"
    }

    private static func empty(_ title: String) -> String {
        """
        <svg class="chart" role="img" aria-label="\(HTML.escape(title))" viewBox="0 0 520 40" width="100%" \
        xmlns="http://www.w3.org/2000/svg"><text x="0" y="24" class="chart-label">No data in this range</text></svg>
        """
    }

    private static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// Numbers as the portal shows them.
enum Quantity {
    /// Bytes in B, KB, MB, GB, TB (powers of 1,000).
    static func bytes(_ value: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB", "PB"]
        var v = Double(value)
        var unit = 0
        while v >= 1_000 && unit < units.count - 1 {
            v /= 1_000
            unit += 1
        }
        return unit == 0
            ? "\(value) B" : (v >= 100 ? String(Int(v.rounded())) : String((v * 10).rounded() / 10)) + " " + units[unit]
    }

    /// A count with thousands separators.
    static func count(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }
}
