import CanopyCore

extension DiscoveryReport {
    /// The report as terminal tables: summary, apps, categories, risk levels, users, IPs, unknown destinations,
    /// and parse statistics.
    package func renderTable(maxRows: Int = 25) -> String {
        var out = ""
        out += "Cloud Discovery report\n"
        out += "Period: \(firstSeen ?? "-") — \(lastSeen ?? "-")\n"
        out += "Apps \(totals.apps) · users \(totals.users) · source IPs \(totals.sourceIPs) · "
        out += "traffic \(Units.bytes(totals.bytesTotal)) (up \(Units.bytes(totals.bytesUp)), "
        out += "down \(Units.bytes(totals.bytesDown))) · transactions \(totals.transactions) · "
        out += "blocked \(totals.blocked) · unknown destinations \(totals.unknownDestinations)\n"
        if anonymized { out += "User and device names are anonymized.\n" }

        var apps = TextTable(
            headers: [
                "App", "Category", "Score", "Known", "Risk", "Tags", "Traffic", "Up", "Down", "Trans.", "Users",
                "IPs", "Last seen",
            ],
            rightAligned: [2, 3, 6, 7, 8, 9, 10, 11]
        )
        for a in self.apps.prefix(maxRows) {
            apps.add([
                a.name, a.categoryName, Units.score(a.score), "\(a.knownAttributes)/\(a.scoredAttributes)",
                a.level.rawValue, a.tags.joined(separator: ","),
                Units.bytes(a.traffic.bytesTotal), Units.bytes(a.traffic.bytesUp), Units.bytes(a.traffic.bytesDown),
                String(a.traffic.transactions), String(a.users), String(a.sourceIPs),
                a.traffic.lastSeen == .min ? "-" : String(isoDay(a.traffic.lastSeen)),
            ])
        }
        out += section(
            "Discovered apps (\(self.apps.count)) — Known: scored risk attributes with a known value",
            apps,
            more: self.apps.count - maxRows
        )

        var categories = TextTable(
            headers: ["Category", "Apps", "Users", "Traffic", "Trans."],
            rightAligned: [1, 2, 3, 4]
        )
        for c in self.categories.prefix(maxRows) {
            categories.add([
                c.name, String(c.apps), String(c.users), Units.bytes(c.traffic.bytesTotal),
                String(c.traffic.transactions),
            ])
        }
        out += section("Categories", categories, more: self.categories.count - maxRows)

        var levels = TextTable(headers: ["Risk level", "Apps", "Traffic", "Trans."], rightAligned: [1, 2, 3])
        for l in riskLevels {
            levels.add([
                l.level.rawValue, String(l.apps), Units.bytes(l.traffic.bytesTotal), String(l.traffic.transactions),
            ])
        }
        out += section("Risk levels (score 8–10 low, 5–7 medium, 0–4 high)", levels, more: 0)

        var users = TextTable(
            headers: ["User", "Apps", "Traffic", "Up", "Down", "Trans.", "Blocked"],
            rightAligned: [1, 2, 3, 4, 5, 6]
        )
        for u in self.users.prefix(maxRows) {
            users.add([
                u.user, String(u.apps), Units.bytes(u.traffic.bytesTotal), Units.bytes(u.traffic.bytesUp),
                Units.bytes(u.traffic.bytesDown), String(u.traffic.transactions), String(u.traffic.blocked),
            ])
        }
        out += section("Top users", users, more: self.users.count - maxRows)

        var ips = TextTable(headers: ["Source IP", "Apps", "Users", "Traffic", "Trans."], rightAligned: [1, 2, 3, 4])
        for i in sourceIPs.prefix(maxRows) {
            ips.add([
                i.ip, String(i.apps), String(i.users), Units.bytes(i.traffic.bytesTotal),
                String(i.traffic.transactions),
            ])
        }
        out += section("Top source IPs", ips, more: sourceIPs.count - maxRows)

        if !devices.isEmpty {
            var d = TextTable(headers: ["Device", "Traffic", "Trans."], rightAligned: [1, 2])
            for x in devices.prefix(maxRows) {
                d.add([x.device, Units.bytes(x.traffic.bytesTotal), String(x.traffic.transactions)])
            }
            out += section("Top devices", d, more: devices.count - maxRows)
        }

        var unknown = TextTable(
            headers: ["Unknown destination", "Hosts", "Users", "Traffic", "Trans."],
            rightAligned: [1, 2, 3, 4]
        )
        for u in unknownDestinations.prefix(maxRows) {
            unknown.add([
                u.destination, String(u.hosts), String(u.users), Units.bytes(u.traffic.bytesTotal),
                String(u.traffic.transactions),
            ])
        }
        out += section("Unknown destinations (not in the catalog)", unknown, more: unknownDestinations.count - maxRows)

        out += renderStatistics()
        return out
    }

    /// Per-input format, confidence and line accounting, with the first line numbers of every reason.
    package func renderStatistics() -> String {
        var inputs = TextTable(
            headers: ["Input", "Format", "Confidence", "Lines", "Records", "Ignored", "Rejected"],
            rightAligned: [2, 3, 4, 5, 6]
        )
        for s in sources {
            inputs.add([
                s.name, s.parser, Units.percent(s.confidence), String(s.statistics.lines), String(s.statistics.records),
                String(s.statistics.ignoredCount), String(s.statistics.rejectedCount),
            ])
        }
        var out = section("Parse statistics", inputs, more: 0)
        let reasons =
            statistics.rejected.sorted { $0.key < $1.key }.map { ("rejected", $0.key, $0.value) }
            + statistics.ignored.sorted { $0.key < $1.key }.map { ("ignored", $0.key, $0.value) }
        if !reasons.isEmpty {
            var table = TextTable(headers: ["Outcome", "Reason", "Lines", "First at"], rightAligned: [2])
            for (outcome, reason, tally) in reasons {
                let places = tally.firstLines.map { "\($0.source):\($0.line)" }.joined(separator: ", ")
                table.add([outcome, reason.rawValue, String(tally.count), places])
            }
            out += "\n" + table.render(maxCellWidth: 120)
        }
        return out
    }

    private func section(_ title: String, _ table: TextTable, more: Int) -> String {
        var s = "\n\(title)\n" + table.render()
        if more > 0 { s += "… and \(more) more (use --output json or csv for everything)\n" }
        return s
    }

    private func isoDay(_ ms: Int64) -> Substring {
        Timestamp(millisecondsSinceEpoch: ms).description.prefix(10)
    }
}
