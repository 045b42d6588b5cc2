import CanopyCore
import Foundation

/// CSV export of one report section, RFC 4180 quoting, with formula injection neutralized.
extension DiscoveryReport {
    /// The sections that can be exported as CSV.
    package enum CSVSection: String, Sendable, CaseIterable {
        case apps, users, ips, categories, unknown, days, statistics
    }

    package func renderCSV(_ section: CSVSection) -> String {
        var rows: [[String]] = []
        let t = { (c: TrafficCounters) -> [String] in
            [
                String(c.bytesUp), String(c.bytesDown), String(c.bytesTotal), String(c.transactions), String(c.blocked),
                c.firstSeen == .max ? "" : Timestamp(millisecondsSinceEpoch: c.firstSeen).description,
                c.lastSeen == .min ? "" : Timestamp(millisecondsSinceEpoch: c.lastSeen).description,
            ]
        }
        let trafficHeaders = [
            "bytes_up", "bytes_down", "bytes_total", "transactions", "blocked", "first_seen", "last_seen",
        ]
        switch section {
        case .apps:
            rows.append(
                [
                    "app_id", "app", "category", "score", "known_attributes", "scored_attributes", "risk_level", "tags",
                    "users", "source_ips",
                ] + trafficHeaders
            )
            for a in apps {
                rows.append(
                    [
                        a.id, a.name, a.categoryName, a.score.map(Units.oneDecimal) ?? "",
                        String(a.knownAttributes), String(a.scoredAttributes), a.level.rawValue,
                        a.tags.joined(separator: ";"), String(a.users), String(a.sourceIPs),
                    ] + t(a.traffic)
                )
            }
        case .users:
            rows.append(["user", "apps"] + trafficHeaders)
            for u in users { rows.append([u.user, String(u.apps)] + t(u.traffic)) }
        case .ips:
            rows.append(["source_ip", "apps", "users"] + trafficHeaders)
            for i in sourceIPs { rows.append([i.ip, String(i.apps), String(i.users)] + t(i.traffic)) }
        case .categories:
            rows.append(["category_id", "category", "apps", "users"] + trafficHeaders)
            for c in categories { rows.append([c.id, c.name, String(c.apps), String(c.users)] + t(c.traffic)) }
        case .unknown:
            rows.append(["destination", "hosts", "users"] + trafficHeaders)
            for u in unknownDestinations {
                rows.append([u.destination, String(u.hosts), String(u.users)] + t(u.traffic))
            }
        case .days:
            rows.append(["date", "apps"] + trafficHeaders)
            for d in days { rows.append([d.date, String(d.apps)] + t(d.traffic)) }
        case .statistics:
            rows.append(["source", "parser", "confidence", "outcome", "reason", "count", "first_lines"])
            for s in sources {
                rows.append([
                    s.name, s.parser, Units.oneDecimal(s.confidence * 100), "record", "", String(s.statistics.records),
                    "",
                ])
                for (reason, tally) in s.statistics.rejected.sorted(by: { $0.key < $1.key }) {
                    rows.append([
                        s.name, s.parser, "", "rejected", reason.rawValue, String(tally.count),
                        tally.firstLines.map { String($0.line) }.joined(separator: ";"),
                    ])
                }
                for (reason, tally) in s.statistics.ignored.sorted(by: { $0.key < $1.key }) {
                    rows.append([
                        s.name, s.parser, "", "ignored", reason.rawValue, String(tally.count),
                        tally.firstLines.map { String($0.line) }.joined(separator: ";"),
                    ])
                }
            }
        }
        return rows.map { $0.map(CSV.field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}

/// RFC 4180 field quoting.
package enum CSV {
    /// Quotes a field when needed; a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so that a
    /// spreadsheet never evaluates log-supplied text as a formula (OWASP CSV injection).
    package static func field(_ value: String) -> String {
        var v = value
        if let first = v.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
            Double(v) == nil
        {
            v = "'" + v
        }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}
