import CanopyCore

/// One self-contained HTML page: inline CSS, inline SVG charts, no scripts and no external assets.
extension DiscoveryReport {
    package func renderHTML(title: String = "Cloud Discovery report") -> String {
        var body = ""
        body += "<header><h1>\(HTML.escape(title))</h1><p class=\"muted\">Period \(HTML.escape(firstSeen ?? "-")) — "
        body += "\(HTML.escape(lastSeen ?? "-")) · generated \(HTML.escape(generatedAt))"
        body += anonymized ? " · user and device names anonymized" : ""
        body += "</p></header>\n"
        body += tiles()
        body += "<section class=\"grid\">"
        body += card(
            "Top apps by traffic",
            barChart(
                apps.prefix(15).map { ($0.name, Double($0.traffic.bytesTotal), levelColor($0.level)) },
                format: { Units.bytes(Int64($0)) }
            )
        )
        body += card("Risk levels", riskBar())
        body += card(
            "Categories by traffic",
            barChart(
                categories.prefix(12).map { ($0.name, Double($0.traffic.bytesTotal), "#4c78a8") },
                format: { Units.bytes(Int64($0)) }
            )
        )
        body += card("Traffic per day", dayChart())
        body += "</section>\n"
        body += tableSection(
            "Discovered apps (\(apps.count))",
            [
                "App", "Category", "Score", "Known", "Risk", "Tags", "Traffic", "Up", "Down", "Transactions", "Users",
                "IPs",
            ],
            apps.map { a in
                [
                    a.name, a.categoryName, Units.score(a.score), "\(a.knownAttributes)/\(a.scoredAttributes)",
                    a.level.rawValue, a.tags.joined(separator: ", "),
                    Units.bytes(a.traffic.bytesTotal), Units.bytes(a.traffic.bytesUp), Units.bytes(a.traffic.bytesDown),
                    String(a.traffic.transactions), String(a.users), String(a.sourceIPs),
                ]
            }
        )
        body += tableSection(
            "Top users",
            ["User", "Apps", "Traffic", "Up", "Down", "Transactions", "Blocked"],
            users.map { u in
                [
                    u.user, String(u.apps), Units.bytes(u.traffic.bytesTotal), Units.bytes(u.traffic.bytesUp),
                    Units.bytes(u.traffic.bytesDown), String(u.traffic.transactions), String(u.traffic.blocked),
                ]
            }
        )
        body += tableSection(
            "Top source IPs",
            ["Source IP", "Apps", "Users", "Traffic", "Transactions"],
            sourceIPs.map {
                [
                    $0.ip, String($0.apps), String($0.users), Units.bytes($0.traffic.bytesTotal),
                    String($0.traffic.transactions),
                ]
            }
        )
        body += tableSection(
            "Unknown destinations",
            ["Destination", "Hosts", "Users", "Traffic", "Transactions"],
            unknownDestinations.map {
                [
                    $0.destination, String($0.hosts), String($0.users), Units.bytes($0.traffic.bytesTotal),
                    String($0.traffic.transactions),
                ]
            }
        )
        body += tableSection(
            "Parse statistics",
            ["Input", "Format", "Confidence", "Lines", "Records", "Ignored", "Rejected"],
            sources.map { s in
                [
                    s.name, s.parser, Units.percent(s.confidence), String(s.statistics.lines),
                    String(s.statistics.records),
                    String(s.statistics.ignoredCount), String(s.statistics.rejectedCount),
                ]
            }
        )
        let reasons =
            statistics.rejected.sorted { $0.key < $1.key }.map { ("rejected", $0.key.rawValue, $0.value) }
            + statistics.ignored.sorted { $0.key < $1.key }.map { ("ignored", $0.key.rawValue, $0.value) }
        if !reasons.isEmpty {
            body += tableSection(
                "Lines not turned into records",
                ["Outcome", "Reason", "Lines", "First at"],
                reasons.map {
                    [
                        $0.0, $0.1, String($0.2.count),
                        $0.2.firstLines.map { "\($0.source):\($0.line)" }.joined(separator: ", "),
                    ]
                }
            )
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title))</title>
            <style>\(Self.css)</style></head>
            <body>
            \(body)
            </body></html>

            """
    }

    private static let css = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:24px;color:#1d2433;background:#f6f7f9}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0 0 10px}.muted{color:#5b6475;margin:0 0 16px}
        .tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-bottom:16px}
        .tile{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:12px}.tile b{display:block;font-size:22px}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:16px;margin-bottom:16px}
        .card,section.table{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:14px;margin-bottom:16px;overflow-x:auto}
        table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eef0f3;white-space:nowrap}
        th{background:#f1f3f6;position:sticky;top:0}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
        svg text{font:12px system-ui,sans-serif;fill:#1d2433}
        """

    private func tiles() -> String {
        let items: [(String, String)] = [
            ("Apps", String(totals.apps)), ("Users", String(totals.users)), ("Source IPs", String(totals.sourceIPs)),
            ("Traffic", Units.bytes(totals.bytesTotal)), ("Uploaded", Units.bytes(totals.bytesUp)),
            ("Downloaded", Units.bytes(totals.bytesDown)), ("Transactions", String(totals.transactions)),
            ("Blocked", String(totals.blocked)), ("Unknown destinations", String(totals.unknownDestinations)),
        ]
        return "<section class=\"tiles\">"
            + items.map { "<div class=\"tile\">\(HTML.escape($0.0))<b>\(HTML.escape($0.1))</b></div>" }.joined()
            + "</section>\n"
    }

    private func card(_ title: String, _ content: String) -> String {
        "<div class=\"card\"><h2>\(HTML.escape(title))</h2>\(content)</div>"
    }

    private func tableSection(_ title: String, _ headers: [String], _ rows: [[String]]) -> String {
        let numeric: Set<String> = [
            "Score", "Traffic", "Up", "Down", "Transactions", "Users", "IPs", "Apps", "Blocked",
            "Hosts", "Lines", "Records", "Ignored", "Rejected", "Confidence",
        ]
        var s = "<section class=\"table\"><h2>\(HTML.escape(title))</h2><table><thead><tr>"
        s += headers.map { "<th\(numeric.contains($0) ? " class=\"n\"" : "")>\(HTML.escape($0))</th>" }.joined()
        s += "</tr></thead><tbody>"
        for row in rows {
            s += "<tr>"
            for (i, cell) in row.enumerated() {
                let n = i < headers.count && numeric.contains(headers[i])
                s += "<td\(n ? " class=\"n\"" : "")>\(HTML.escape(cell))</td>"
            }
            s += "</tr>"
        }
        if rows.isEmpty { s += "<tr><td colspan=\"\(headers.count)\">None.</td></tr>" }
        return s + "</tbody></table></section>\n"
    }

    private func levelColor(_ level: RiskLevel) -> String {
        switch level {
        case .low: "#2e8b57"
        case .medium: "#e0a800"
        case .high: "#c0392b"
        case .unscored: "#8a94a6"
        }
    }

    /// A horizontal bar chart as inline SVG.
    private func barChart(_ items: [(String, Double, String)], format: (Double) -> String) -> String {
        guard let maxValue = items.map(\.1).max(), maxValue > 0 else { return "<p class=\"muted\">No data.</p>" }
        let rowHeight = 22
        let labelWidth = 170
        let width = 520
        let barSpace = Double(width - labelWidth - 80)
        var s = "<svg role=\"img\" viewBox=\"0 0 \(width) \(items.count * rowHeight + 4)\" width=\"100%\">"
        for (i, item) in items.enumerated() {
            let y = i * rowHeight
            let w = max(1, Int(barSpace * item.1 / maxValue))
            let label = item.0.count > 24 ? String(item.0.prefix(23)) + "…" : item.0
            s += "<text x=\"0\" y=\"\(y + 15)\">\(HTML.escape(label))</text>"
            s += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(w)\" height=\"14\" rx=\"2\" fill=\"\(item.2)\"/>"
            s += "<text x=\"\(labelWidth + w + 6)\" y=\"\(y + 15)\">\(HTML.escape(format(item.1)))</text>"
        }
        return s + "</svg>"
    }

    /// Apps per risk level as one stacked bar with a legend.
    private func riskBar() -> String {
        let total = riskLevels.reduce(0) { $0 + $1.apps }
        guard total > 0 else { return "<p class=\"muted\">No apps.</p>" }
        var x = 0.0
        var s = "<svg role=\"img\" viewBox=\"0 0 520 90\" width=\"100%\">"
        for l in riskLevels where l.apps > 0 {
            let w = 500 * Double(l.apps) / Double(total)
            s +=
                "<rect x=\"\(Units.oneDecimal(x))\" y=\"0\" width=\"\(Units.oneDecimal(w))\" height=\"28\" fill=\"\(levelColor(l.level))\"/>"
            x += w
        }
        var lx = 0
        for l in riskLevels {
            s += "<rect x=\"\(lx)\" y=\"44\" width=\"12\" height=\"12\" fill=\"\(levelColor(l.level))\"/>"
            s += "<text x=\"\(lx + 16)\" y=\"54\">\(HTML.escape(l.level.rawValue)): \(l.apps) apps</text>"
            s += "<text x=\"\(lx + 16)\" y=\"72\">\(HTML.escape(Units.bytes(l.traffic.bytesTotal)))</text>"
            lx += 128
        }
        return s + "</svg>"
    }

    /// Traffic per day as vertical bars.
    private func dayChart() -> String {
        guard let maxValue = days.map({ $0.traffic.bytesTotal }).max(), maxValue > 0 else {
            return "<p class=\"muted\">No dated traffic.</p>"
        }
        let shown = days.suffix(60)
        let width = 520
        let barWidth = max(2, (width - 20) / max(1, shown.count) - 2)
        var s = "<svg role=\"img\" viewBox=\"0 0 \(width) 170\" width=\"100%\">"
        for (i, d) in shown.enumerated() {
            let h = max(1, Int(130 * Double(d.traffic.bytesTotal) / Double(maxValue)))
            let x = 10 + i * (barWidth + 2)
            s += "<rect x=\"\(x)\" y=\"\(140 - h)\" width=\"\(barWidth)\" height=\"\(h)\" fill=\"#4c78a8\">"
            s += "<title>\(HTML.escape(d.date)): \(HTML.escape(Units.bytes(d.traffic.bytesTotal)))</title></rect>"
        }
        if let first = shown.first, let last = shown.last {
            s += "<text x=\"10\" y=\"160\">\(HTML.escape(first.date))</text>"
            s += "<text x=\"\(width - 80)\" y=\"160\">\(HTML.escape(last.date))</text>"
        }
        s += "<text x=\"10\" y=\"12\">max \(HTML.escape(Units.bytes(maxValue)))/day</text>"
        return s + "</svg>"
    }
}
