import CanopyCore
import CanopyDiscovery
import CanopyTesting
import Testing

/// The aggregation tables behind the snapshot report: exact whatever the order or the density.
@Suite struct AggregationTablesTests {
    @Test func memberSetsHoldExactlyThePairsInsertedSparseOrDense() {
        var random = SplitMix64(seed: 7)
        var sets = MemberSets()
        var reference: [Int32: Set<Int32>] = [:]
        for _ in 0..<20_000 {
            let key = Int32(random.below(50))
            // Keys below 10 see most of 300 members (they become bitsets); the others a few far-apart ids.
            let member = Int32(key < 10 ? random.below(300) : random.below(5) * 997)
            sets.insert(key, member)
            reference[key, default: []].insert(member)
        }
        for (key, members) in reference { #expect(sets.count(key) == members.count) }
        var seen: [Int32: Set<Int32>] = [:]
        var pairs = 0
        sets.forEachPair { key, member in
            seen[key, default: []].insert(member)
            pairs += 1
        }
        #expect(seen == reference)
        #expect(pairs == reference.values.map(\.count).reduce(0, +))
        #expect(sets.count(999) == 0)
    }

    /// IPv4 slots keep the address beside the id: every address gets one id, IPv4 and IPv6 apart — also an IPv6
    /// address whose low 32 bits are an IPv4 address seen, and the IPv4-mapped form — through the table's growth.
    @Test func addressInternerGivesEveryAddressOneID() {
        var random = SplitMix64(seed: 9)
        var interner = AddressInterner()
        var reference: [IPAddress: Int32] = [:]
        for _ in 0..<50_000 {
            let low = UInt32(truncatingIfNeeded: random.below(3_000)) &* 2_654_435_761
            let address: IPAddress
            switch random.below(4) {
            case 0: address = IPAddress(ipv6: UInt128(low))
            case 1: address = IPAddress(ipv6: UInt128(0xFFFF) << 32 | UInt128(low))
            default: address = IPAddress(ipv4: low)
            }
            let id = interner.id(address)
            if let known = reference[address] {
                #expect(id == known)
            } else {
                #expect(Int(id) == reference.count)
                reference[address] = id
            }
        }
        #expect(interner.count == reference.count && reference.count > 8_000)
        for (address, id) in reference { #expect(interner.values[Int(id)] == address) }
    }

    /// Records over the test catalog: apps, unknown and private destinations, users (some absent), source IPs
    /// (users roam between two), three days, some blocked.
    static func records(_ count: Int) -> [TrafficRecord] {
        let hosts = [
            "www.dropbox.com", "dl.dropboxapi.com", "teams.microsoft.com", "www.microsoft.com", "x.new-saas.io",
            "cdn.other-site.net", "intranet",
        ]
        var random = SplitMix64(seed: 42)
        return (0..<count).map { i in
            var r = TrafficRecord()
            r.time = Timestamp(secondsSinceEpoch: 1_700_000_000 + Int64(i) * 60 + Int64(random.below(3)))
            let user = random.below(40)
            r.user = random.below(10) == 0 ? nil : "user\(user)"
            r.sourceIP = IPAddress(ipv4: 0x0A00_0000 | UInt32(random.below(10) == 0 ? random.below(60) : user))
            if random.below(20) == 0 {
                r.destinationIP = IPAddress(ipv4: 0xC633_6400 | UInt32(random.below(200)))
            } else {
                r.destinationHost = hosts[random.below(hosts.count)]
            }
            r.bytesUp = Int64(random.below(2_000))
            r.bytesDown = Int64(random.below(200_000))
            r.action = random.below(50) == 0 ? .blocked : .allowed
            return r
        }
    }

    /// A report builder over `catalog` with the default settings.
    static func builder(_ catalog: AppCatalog) -> DiscoveryReportBuilder {
        DiscoveryReportBuilder(
            catalog: catalog,
            settings: DiscoverySettings(),
            scorer: RiskScorer(catalog: catalog, settings: ScoringSettings(), currentYear: 2026)
        )
    }

    @Test func theReportDoesNotDependOnRecordOrderAndCountsEachAppExactly() {
        let catalog = TestCatalog.small()
        let matcher = AppMatcher(catalog: catalog)
        let records = Self.records(5_000)
        var inOrder = DiscoveryAggregator(matcher: matcher)
        var shuffled = DiscoveryAggregator(matcher: matcher)
        var random = SplitMix64(seed: 3)
        var order = Array(records.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, random.below(i + 1)) }
        for r in records { inOrder.add(r) }
        for i in order { shuffled.add(records[i]) }
        let builder = Self.builder(catalog)
        let t = Timestamp(secondsSinceEpoch: 0)
        let reference = builder.build(inOrder, sources: [], generatedAt: t)
        // Every record is counted once: on a day (apps and unknown destinations) or as private traffic.
        let perDay = reference.days.map(\.traffic.transactions).reduce(0, +)
        #expect(perDay + reference.privateTraffic.transactions == 5_000)
        #expect(reference.totals.transactions == reference.apps.map(\.traffic.transactions).reduce(0, +))
        #expect(builder.build(shuffled, sources: [], generatedAt: t) == reference)
        // Per app, against a plain recount of the records with the matcher.
        var transactions: [String: Int64] = [:]
        var bytes: [String: Int64] = [:]
        var users: [String: Set<String>] = [:]
        var addresses: [String: Set<IPAddress>] = [:]
        for r in records {
            guard case .app(let index) = matcher.match(host: r.destinationHost, ip: r.destinationIP) else { continue }
            let id = catalog.apps[Int(index)].id
            transactions[id, default: 0] += 1
            bytes[id, default: 0] += r.totalBytes
            if let user = r.user { users[id, default: []].insert(user) }
            if let ip = r.sourceIP { addresses[id, default: []].insert(ip) }
        }
        #expect(Set(reference.apps.map(\.id)) == Set(transactions.keys))
        for app in reference.apps {
            #expect(app.traffic.transactions == transactions[app.id])
            #expect(app.traffic.bytesTotal == bytes[app.id])
            #expect(app.users == users[app.id]?.count ?? 0)
            #expect(app.sourceIPs == addresses[app.id]?.count ?? 0)
        }
        #expect(reference.apps.contains { $0.id == "dropbox" && $0.users > 30 && $0.sourceIPs > 30 })
    }
}
