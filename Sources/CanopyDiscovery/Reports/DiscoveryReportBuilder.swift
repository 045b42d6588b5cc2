package import CanopyCore

/// Turns aggregates into a ``DiscoveryReport``: per app, user, IP, category, risk level, unknown destination and day.
package struct DiscoveryReportBuilder: Sendable {
    package var catalog: AppCatalog
    package var settings: DiscoverySettings
    package var scorer: RiskScorer
    /// How many users, IPs, devices and unknown destinations the report keeps (apps are all kept).
    package var topCount: Int
    /// Replaces user and device names (anonymization); identity when nil.
    package var pseudonymize: (@Sendable (String) -> String)?

    package init(
        catalog: AppCatalog,
        settings: DiscoverySettings,
        scorer: RiskScorer,
        topCount: Int = 50,
        pseudonymize: (@Sendable (String) -> String)? = nil
    ) {
        self.catalog = catalog
        self.settings = settings
        self.scorer = scorer
        self.topCount = topCount
        self.pseudonymize = pseudonymize
    }

    package func build(
        _ aggregator: DiscoveryAggregator,
        sources: [DiscoveryReport.Source],
        generatedAt: Timestamp
    ) -> DiscoveryReport {
        var appTraffic: [Int32: TrafficCounters] = [:]
        var appUsers: [Int32: Set<Int32>] = [:]
        var appIPs: [Int32: Set<Int32>] = [:]
        var userTraffic: [Int32: TrafficCounters] = [:]
        var userApps: [Int32: Set<Int32>] = [:]
        var ipTraffic: [Int32: TrafficCounters] = [:]
        var ipApps: [Int32: Set<Int32>] = [:]
        var ipUsers: [Int32: Set<Int32>] = [:]
        var dayTraffic: [Int32: TrafficCounters] = [:]
        var dayApps: [Int32: Set<Int32>] = [:]
        var totals = TrafficCounters()
        for (key, counters) in aggregator.cells {
            totals.add(counters)
            appTraffic[key.target, default: TrafficCounters()].add(counters)
            if key.user >= 0 { appUsers[key.target, default: []].insert(key.user) }
            if key.sourceIP >= 0 { appIPs[key.target, default: []].insert(key.sourceIP) }
            if key.user >= 0 {
                userTraffic[key.user, default: TrafficCounters()].add(counters)
                if key.target >= 0 { userApps[key.user, default: []].insert(key.target) }
            }
            if key.sourceIP >= 0 {
                ipTraffic[key.sourceIP, default: TrafficCounters()].add(counters)
                if key.target >= 0 { ipApps[key.sourceIP, default: []].insert(key.target) }
                if key.user >= 0 { ipUsers[key.sourceIP, default: []].insert(key.user) }
            }
            if key.day >= 0 {
                dayTraffic[key.day, default: TrafficCounters()].add(counters)
                if key.target >= 0 { dayApps[key.day, default: []].insert(key.target) }
            }
        }
        let name: (String) -> String = { pseudonymize?($0) ?? $0 }

        // Apps.
        var apps: [DiscoveryReport.AppUsage] = []
        var categoryTraffic: [String: TrafficCounters] = [:]
        var categoryApps: [String: Int] = [:]
        var categoryUsers: [String: Set<Int32>] = [:]
        var levelTraffic: [RiskLevel: TrafficCounters] = [:]
        var levelApps: [RiskLevel: Int] = [:]
        var unknownByDomain: [String: (TrafficCounters, Int, Set<Int32>)] = [:]
        for (target, counters) in appTraffic {
            if target < 0 {
                let destination = aggregator.unknownDestinations.values[Int(-target - 1)]
                let domain = RegistrableDomain.of(destination)
                var entry = unknownByDomain[domain] ?? (TrafficCounters(), 0, [])
                entry.0.add(counters)
                entry.1 += 1
                entry.2.formUnion(appUsers[target] ?? [])
                unknownByDomain[domain] = entry
                continue
            }
            let app = catalog.apps[Int(target)]
            let explanation = scorer.explain(appID: app.id)
            let score = explanation.score
            let level = explanation.level
            apps.append(
                DiscoveryReport.AppUsage(
                    id: app.id,
                    name: app.name,
                    category: app.category,
                    categoryName: catalog.category(id: app.category)?.name ?? app.category,
                    score: score.map { ($0 * 10).rounded() / 10 },
                    level: level,
                    knownAttributes: explanation.knownAttributes,
                    scoredAttributes: explanation.scoredAttributes,
                    tags: settings.tags(of: app.id),
                    traffic: counters,
                    users: appUsers[target]?.count ?? 0,
                    sourceIPs: appIPs[target]?.count ?? 0
                )
            )
            categoryTraffic[app.category, default: TrafficCounters()].add(counters)
            categoryApps[app.category, default: 0] += 1
            categoryUsers[app.category, default: []].formUnion(appUsers[target] ?? [])
            levelTraffic[level, default: TrafficCounters()].add(counters)
            levelApps[level, default: 0] += 1
        }
        apps.sort { byTraffic($0.traffic, $1.traffic, $0.name, $1.name) }

        var users = userTraffic.map { id, counters in
            DiscoveryReport.UserUsage(
                user: name(aggregator.users.values[Int(id)]),
                apps: userApps[id]?.count ?? 0,
                traffic: counters
            )
        }
        users.sort { byTraffic($0.traffic, $1.traffic, $0.user, $1.user) }
        var ips = ipTraffic.map { id, counters in
            DiscoveryReport.IPUsage(
                ip: aggregator.sourceIPs.values[Int(id)].description,
                apps: ipApps[id]?.count ?? 0,
                users: ipUsers[id]?.count ?? 0,
                traffic: counters
            )
        }
        ips.sort { byTraffic($0.traffic, $1.traffic, $0.ip, $1.ip) }
        var devices = aggregator.devices.map { DiscoveryReport.DeviceUsage(device: name($0.key), traffic: $0.value) }
        devices.sort { byTraffic($0.traffic, $1.traffic, $0.device, $1.device) }
        var categories = categoryTraffic.map { id, counters in
            DiscoveryReport.CategoryUsage(
                id: id,
                name: catalog.category(id: id)?.name ?? id,
                apps: categoryApps[id] ?? 0,
                users: categoryUsers[id]?.count ?? 0,
                traffic: counters
            )
        }
        categories.sort { byTraffic($0.traffic, $1.traffic, $0.name, $1.name) }
        let levels = RiskLevel.allCases.map {
            DiscoveryReport.LevelUsage(
                level: $0,
                apps: levelApps[$0] ?? 0,
                traffic: levelTraffic[$0] ?? TrafficCounters()
            )
        }
        var unknown = unknownByDomain.map { domain, entry in
            DiscoveryReport.UnknownDestination(
                destination: domain,
                hosts: entry.1,
                users: entry.2.count,
                traffic: entry.0
            )
        }
        unknown.sort { byTraffic($0.traffic, $1.traffic, $0.destination, $1.destination) }
        let days = dayTraffic.keys.sorted().map { day in
            DiscoveryReport.DayUsage(
                date: Timestamp(secondsSinceEpoch: Int64(day) * 86_400).dateString,
                apps: dayApps[day]?.count ?? 0,
                traffic: dayTraffic[day] ?? TrafficCounters()
            )
        }
        var statistics = ParseStatistics()
        for s in sources { statistics.merge(s.statistics) }
        let appTotals = apps.reduce(into: TrafficCounters()) { $0.add($1.traffic) }
        return DiscoveryReport(
            generatedAt: generatedAt.description,
            sources: sources,
            statistics: statistics,
            firstSeen: totals.firstSeen == .max ? nil : Timestamp(millisecondsSinceEpoch: totals.firstSeen).description,
            lastSeen: totals.lastSeen == .min ? nil : Timestamp(millisecondsSinceEpoch: totals.lastSeen).description,
            anonymized: pseudonymize != nil,
            totals: DiscoveryReport.Totals(
                apps: apps.count,
                users: aggregator.users.count,
                sourceIPs: aggregator.sourceIPs.count,
                bytesUp: appTotals.bytesUp,
                bytesDown: appTotals.bytesDown,
                bytesTotal: appTotals.bytesTotal,
                transactions: appTotals.transactions,
                blocked: appTotals.blocked,
                unknownDestinations: unknownByDomain.count
            ),
            apps: apps,
            users: Array(users.prefix(topCount)),
            sourceIPs: Array(ips.prefix(topCount)),
            devices: Array(devices.prefix(topCount)),
            categories: categories,
            riskLevels: levels,
            unknownDestinations: Array(unknown.prefix(topCount)),
            days: days,
            privateTraffic: aggregator.privateTraffic
        )
    }
}

/// Most bytes first, then most transactions, then by name: a stable order for reports and golden files.
private func byTraffic(_ a: TrafficCounters, _ b: TrafficCounters, _ an: String, _ bn: String) -> Bool {
    if a.bytesTotal != b.bytesTotal { return a.bytesTotal > b.bytesTotal }
    if a.transactions != b.transactions { return a.transactions > b.transactions }
    return an < bn
}
