package import CanopyCore

/// Folds traffic records into aggregates per (day, destination, user, source IP): the model of DESIGN.md §3.1.
///
/// Memory grows with the number of distinct (day, app, user, IP) combinations, never with the number of lines.
/// Several aggregators (one per core) can be merged.
package struct DiscoveryAggregator: Sendable {
    /// The aggregate key. `target` ≥ 0 is an app index; < 0 is `-(unknown destination id + 1)`.
    package struct CellKey: Hashable, Sendable {
        package var day: Int32
        package var target: Int32
        package var user: Int32
        package var sourceIP: Int32
    }

    package let matcher: AppMatcher
    package private(set) var cells: [CellKey: TrafficCounters] = [:]
    package private(set) var users = Interner<String>()
    package private(set) var sourceIPs = Interner<IPAddress>()
    /// Unmatched public destinations: host names, or IP text when there is no name.
    package private(set) var unknownDestinations = Interner<String>()
    package private(set) var devices: [String: TrafficCounters] = [:]
    /// Traffic to private, loopback and link-local destinations (not apps).
    package private(set) var privateTraffic = TrafficCounters()
    /// Records without a time (counted in the traffic, day bucket -1).
    package private(set) var recordsWithoutTime = 0

    /// Interned id for "no user" and "no source IP".
    package static let none: Int32 = -1

    package init(matcher: AppMatcher) {
        self.matcher = matcher
    }

    /// Adds one record.
    @inline(__always)
    package mutating func add(_ record: TrafficRecord) {
        let target: Int32
        switch matcher.match(host: record.destinationHost, ip: record.destinationIP) {
        case .app(let index):
            target = index
        case .unknownHost:
            target = -(unknownDestinations.id(record.destinationHost ?? "") + 1)
        case .unknownIP:
            target = -(unknownDestinations.id(record.destinationIP?.description ?? "") + 1)
        case .privateDestination, .none:
            privateTraffic.add(
                up: record.bytesUp ?? 0,
                down: record.bytesDown ?? 0,
                total: record.totalBytes,
                blocked: record.action == .blocked,
                time: record.time?.millisecondsSinceEpoch
            )
            return
        }
        let time = record.time?.millisecondsSinceEpoch
        var day: Int32 = -1
        if let t = record.time {
            day = Int32(truncatingIfNeeded: t.dayNumber)
        } else {
            recordsWithoutTime += 1
        }
        let user = record.user.map { users.id($0) } ?? Self.none
        let ip = record.sourceIP.map { sourceIPs.id($0) } ?? Self.none
        let key = CellKey(day: day, target: target, user: user, sourceIP: ip)
        let up = record.bytesUp ?? 0
        let down = record.bytesDown ?? 0
        let total = record.totalBytes
        let blocked = record.action == .blocked
        cells[key, default: TrafficCounters()].add(up: up, down: down, total: total, blocked: blocked, time: time)
        if let device = record.device {
            devices[device, default: TrafficCounters()].add(
                up: up,
                down: down,
                total: total,
                blocked: blocked,
                time: time
            )
        }
    }

    /// Adds everything another aggregator (same catalog) collected.
    package mutating func merge(_ other: DiscoveryAggregator) {
        let userMap = other.users.values.map { users.id($0) }
        let ipMap = other.sourceIPs.values.map { sourceIPs.id($0) }
        let unknownMap = other.unknownDestinations.values.map { unknownDestinations.id($0) }
        for (key, counters) in other.cells {
            var k = key
            if k.user >= 0 { k.user = userMap[Int(k.user)] }
            if k.sourceIP >= 0 { k.sourceIP = ipMap[Int(k.sourceIP)] }
            if k.target < 0 { k.target = -(unknownMap[Int(-k.target - 1)] + 1) }
            cells[k, default: TrafficCounters()].add(counters)
        }
        for (device, counters) in other.devices { devices[device, default: TrafficCounters()].add(counters) }
        privateTraffic.add(other.privateTraffic)
        recordsWithoutTime += other.recordsWithoutTime
    }
}
