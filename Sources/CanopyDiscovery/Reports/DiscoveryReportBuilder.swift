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
        var appUsers = UniquePairCounter()
        var appIPs = UniquePairCounter()
        var userApps = UniquePairCounter()
        var ipApps = UniquePairCounter()
        var categoryOf: [Int32: Int32] = [:]
        var categoryIDs: [String: Int32] = [:]
        var categoryUsers = DistinctPairCounter()
        // Member-set pairs and (day, app) entries are each distinct: only category users need a seen set.
        aggregator.forEachApp { appTraffic[$0] = $1 }
        aggregator.forEachAppUser { app, user in
            appUsers.add(app, user)
            userApps.add(user, app)
            let category: Int32
            if let known = categoryOf[app] {
                category = known
            } else {
                let name = catalog.apps[Int(app)].category
                category = categoryIDs[name] ?? Int32(categoryIDs.count)
                categoryIDs[name] = category
                categoryOf[app] = category
            }
            categoryUsers.add(category, user)
        }
        aggregator.forEachAppSourceIP { app, ip in
            appIPs.add(app, ip)
            ipApps.add(ip, app)
        }
        var userTraffic: [Int32: TrafficCounters] = [:]
        aggregator.forEachUser { userTraffic[$0] = $1 }
        var ipTraffic: [Int32: TrafficCounters] = [:]
        aggregator.forEachSourceIP { ipTraffic[$0] = $1 }
        var ipUsers = UniquePairCounter()
        aggregator.forEachSourceIPUser { ipUsers.add($0, $1) }
        var dayTraffic: [Int32: TrafficCounters] = [:]
        var dayApps = UniquePairCounter()
        var period = TrafficCounters()
        aggregator.forEachDay { key, counters in
            period.add(counters)
            guard key.day >= 0 else { return }
            dayTraffic[key.day, default: TrafficCounters()].add(counters)
            if key.app >= 0 { dayApps.add(key.day, key.app) }
        }
        // Unknown destinations, grouped by registrable domain, with distinct users per domain.
        var unknownAggregator = aggregator
        var unknownByDomain: [Int32: (TrafficCounters, Int)] = [:]
        aggregator.forEachUnknownDestination { id, counters in
            let d = unknownAggregator.domain(ofUnknown: id)
            var entry = unknownByDomain[d] ?? (TrafficCounters(), 0)
            entry.0.add(counters)
            entry.1 += 1
            unknownByDomain[d] = entry
        }
        let domainNames = unknownAggregator.unknownDomains.values
        let name: (String) -> String = { pseudonymize?($0) ?? $0 }

        // Apps.
        var apps: [DiscoveryReport.AppUsage] = []
        var categoryTraffic: [String: TrafficCounters] = [:]
        var categoryApps: [String: Int] = [:]

        var levelTraffic: [RiskLevel: TrafficCounters] = [:]
        var levelApps: [RiskLevel: Int] = [:]
        for (target, counters) in appTraffic {
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
                    users: appUsers.count(target),
                    sourceIPs: appIPs.count(target)
                )
            )
            categoryTraffic[app.category, default: TrafficCounters()].add(counters)
            categoryApps[app.category, default: 0] += 1
            levelTraffic[level, default: TrafficCounters()].add(counters)
            levelApps[level, default: 0] += 1
        }
        apps.sort { byTraffic($0.traffic, $1.traffic, $0.name, $1.name) }

        var users = userTraffic.map { id, counters in
            DiscoveryReport.UserUsage(
                user: name(aggregator.users.values[Int(id)]),
                apps: userApps.count(id),
                traffic: counters
            )
        }
        users.sort { byTraffic($0.traffic, $1.traffic, $0.user, $1.user) }
        var ips = ipTraffic.map { id, counters in
            DiscoveryReport.IPUsage(
                ip: aggregator.sourceIPs.values[Int(id)].description,
                apps: ipApps.count(id),
                users: ipUsers.count(id),
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
                users: categoryIDs[id].map { categoryUsers.count($0) } ?? 0,
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
        var unknown = unknownByDomain.map { d, entry in
            DiscoveryReport.UnknownDestination(
                destination: domainNames[Int(d)],
                hosts: entry.1,
                users: aggregator.userCount(ofUnknownDomain: d),
                traffic: entry.0
            )
        }
        unknown.sort { byTraffic($0.traffic, $1.traffic, $0.destination, $1.destination) }
        let days = dayTraffic.keys.sorted().map { day in
            DiscoveryReport.DayUsage(
                date: Timestamp(secondsSinceEpoch: Int64(day) * 86_400).dateString,
                apps: dayApps.count(day),
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
            firstSeen: period.firstSeen == .max ? nil : Timestamp(millisecondsSinceEpoch: period.firstSeen).description,
            lastSeen: period.lastSeen == .min ? nil : Timestamp(millisecondsSinceEpoch: period.lastSeen).description,
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
