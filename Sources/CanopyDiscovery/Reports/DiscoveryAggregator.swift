package import CanopyCore

/// A public destination no catalog rule matched: a host name, or an address when the log names no host.
/// Kept as a value (not text) so that IP-only logs do not format a string per line.
package enum UnknownDestination: Hashable, Sendable, CustomStringConvertible {
    case host(String)
    case address(IPAddress)

    package var description: String {
        switch self {
        case .host(let h): h
        case .address(let a): a.description
        }
    }
}

/// Folds traffic records into the aggregates a snapshot report is built from, in memory that does not grow with
/// the number of lines:
///
/// - per (catalog app, user): the app's traffic and users, and each user's apps; and the distinct (app, source IP)
///   pairs: the app's IPs and each IP's apps (a pair set, not a third key dimension, keeps memory to the number of
///   distinct app × user and app × IP combinations);
/// - per user and per source IP: their traffic, unknown destinations included;
/// - per unknown destination: its traffic; and the distinct (registrable domain, user) pairs — 8 bytes a pair
///   instead of a full aggregate per (destination, user, IP), because the long tail of unknown sites would
///   otherwise dominate memory (measured: 2 M such aggregates at 10 M lines of a 2,000-user week);
/// - per (day, app), with all unknown traffic of a day in one bucket.
///
/// (The (day, app, user, IP) grain of DESIGN.md §3.1 is the store's, for `canopy serve`; a snapshot report does
/// not need it.) Aggregators filled on several cores merge exactly.
package struct DiscoveryAggregator: Sendable {
    /// An app aggregate key: a catalog app index and an interned user (``none`` when absent).
    package struct CellKey: Hashable, Sendable {
        package var app: Int32
        package var user: Int32

        var packed: UInt128 { UInt128(UInt32(bitPattern: app)) << 32 | UInt128(UInt32(bitPattern: user)) }

        init(app: Int32, user: Int32) {
            self.app = app
            self.user = user
        }

        init(packed: UInt128) {
            app = Int32(bitPattern: UInt32(truncatingIfNeeded: packed >> 32))
            user = Int32(bitPattern: UInt32(truncatingIfNeeded: packed))
        }
    }

    /// A day (days since the epoch; -1 without a time) and a catalog app index, or ``unknownApp``.
    package struct DayKey: Hashable, Sendable {
        package var day: Int32
        package var app: Int32

        var packed: UInt128 { UInt128(UInt32(bitPattern: day)) << 32 | UInt128(UInt32(bitPattern: app)) }

        init(day: Int32, app: Int32) {
            self.day = day
            self.app = app
        }

        init(packed: UInt128) {
            day = Int32(bitPattern: UInt32(truncatingIfNeeded: packed >> 32))
            app = Int32(bitPattern: UInt32(truncatingIfNeeded: packed))
        }
    }

    package let matcher: AppMatcher
    private var appCells = CounterTable()
    private var appIPs = PairSet()
    private var days = CounterTable(capacity: 64)
    private var userTraffic = CounterTable(capacity: 256)
    private var ipTraffic = CounterTable(capacity: 256)
    private var ipUsers = PairSet()
    private var unknownTraffic = CounterTable(capacity: 256)
    private var unknownUsers = PairSet()
    /// The registrable domain of every unknown destination (by destination id), computed once per destination.
    private var unknownDomainOf: [Int32] = []
    package private(set) var unknownDomains = TextInterner()
    package private(set) var users = TextInterner()
    package private(set) var sourceIPs = AddressInterner()
    /// Unmatched public destinations: host names, or addresses when there is no name.
    package private(set) var unknownDestinations = Interner<UnknownDestination>()
    package private(set) var devices: [String: TrafficCounters] = [:]
    /// Traffic to private, loopback and link-local destinations (not apps).
    package private(set) var privateTraffic = TrafficCounters()

    /// Interned id for "no user" and "no source IP".
    package static let none: Int32 = -1
    /// The ``DayKey/app`` of all unknown destinations of a day.
    package static let unknownApp: Int32 = -1

    package init(matcher: AppMatcher) {
        self.matcher = matcher
    }

    /// Adds one record.
    @inline(__always)
    package mutating func add(_ record: TrafficRecord) {
        let up = record.bytesUp ?? 0
        let down = record.bytesDown ?? 0
        let total = record.totalBytes
        let blocked = record.action == .blocked
        let time = record.time?.millisecondsSinceEpoch
        var app: Int32 = Self.unknownApp
        var unknown: Int32 = -1
        switch matcher.match(host: record.destinationHost, ip: record.destinationIP) {
        case .app(let index):
            app = index
        case .unknownHost:
            unknown = unknownDestinations.id(.host(record.destinationHost ?? ""))
        case .unknownIP:
            unknown = unknownDestinations.id(.address(record.destinationIP ?? IPAddress(ipv4: 0)))
        case .privateDestination, .none:
            privateTraffic.add(up: up, down: down, total: total, blocked: blocked, time: time)
            return
        }
        // Records without a time go to day -1.
        let day = record.time.map { Int32(truncatingIfNeeded: $0.dayNumber) } ?? -1
        let user = record.user.map { users.id($0) } ?? Self.none
        let ip = record.sourceIP.map { sourceIPs.id($0) } ?? Self.none
        if app >= 0 {
            appCells.add(
                CellKey(app: app, user: user).packed,
                up: up,
                down: down,
                total: total,
                blocked: blocked,
                time: time
            )
            if ip >= 0 { appIPs.insert(app, ip) }
        } else {
            unknownTraffic.add(UInt128(UInt32(unknown)), up: up, down: down, total: total, blocked: blocked, time: time)
            if user >= 0 { unknownUsers.insert(domain(ofUnknown: unknown), user) }
        }
        if user >= 0 {
            userTraffic.add(UInt128(UInt32(user)), up: up, down: down, total: total, blocked: blocked, time: time)
        }
        if ip >= 0 {
            ipTraffic.add(UInt128(UInt32(ip)), up: up, down: down, total: total, blocked: blocked, time: time)
            if user >= 0 { ipUsers.insert(ip, user) }
        }
        days.add(DayKey(day: day, app: app).packed, up: up, down: down, total: total, blocked: blocked, time: time)
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

    /// The interned registrable domain of an unknown destination.
    package mutating func domain(ofUnknown id: Int32) -> Int32 {
        while unknownDomainOf.count <= Int(id) {
            let destination = unknownDestinations.values[unknownDomainOf.count]
            unknownDomainOf.append(unknownDomains.id(RegistrableDomain.of(destination.description)))
        }
        return unknownDomainOf[Int(id)]
    }

    /// Calls `body` for every distinct (app, source IP) pair.
    package func forEachAppSourceIP(_ body: (Int32, Int32) -> Void) { appIPs.forEachPair(body) }

    /// Calls `body` for every (app, user) aggregate.
    package func forEachAppCell(_ body: (CellKey, TrafficCounters) -> Void) {
        appCells.forEachEntry { body(CellKey(packed: $0), $1) }
    }

    /// Calls `body` for every (day, app) aggregate (app ``unknownApp``: all unknown destinations of that day).
    package func forEachDay(_ body: (DayKey, TrafficCounters) -> Void) {
        days.forEachEntry { body(DayKey(packed: $0), $1) }
    }

    /// Calls `body` with every interned user id and its traffic.
    package func forEachUser(_ body: (Int32, TrafficCounters) -> Void) {
        userTraffic.forEachEntry { body(Int32(truncatingIfNeeded: $0), $1) }
    }

    /// Calls `body` with every interned source IP id and its traffic.
    package func forEachSourceIP(_ body: (Int32, TrafficCounters) -> Void) {
        ipTraffic.forEachEntry { body(Int32(truncatingIfNeeded: $0), $1) }
    }

    /// Calls `body` for every distinct (source IP, user) pair.
    package func forEachSourceIPUser(_ body: (Int32, Int32) -> Void) { ipUsers.forEachPair(body) }

    /// Calls `body` with every unknown destination id and its traffic.
    package func forEachUnknownDestination(_ body: (Int32, TrafficCounters) -> Void) {
        unknownTraffic.forEachEntry { body(Int32(truncatingIfNeeded: $0), $1) }
    }

    /// Calls `body` for every distinct (unknown registrable domain, user) pair (domain ids from ``unknownDomains``).
    package func forEachUnknownDomainUser(_ body: (Int32, Int32) -> Void) { unknownUsers.forEachPair(body) }

    /// Adds everything another aggregator (same catalog) collected.
    package mutating func merge(_ other: DiscoveryAggregator) {
        let userMap = other.users.values.map { users.id($0) }
        let ipMap = other.sourceIPs.values.map { sourceIPs.id($0) }
        let unknownMap = other.unknownDestinations.values.map { unknownDestinations.id($0) }
        func user(_ id: Int32) -> Int32 { id >= 0 ? userMap[Int(id)] : id }
        func ip(_ id: Int32) -> Int32 { id >= 0 ? ipMap[Int(id)] : id }
        other.appCells.forEachEntry { packed, counters in
            let k = CellKey(packed: packed)
            appCells.add(CellKey(app: k.app, user: user(k.user)).packed, counters)
        }
        other.appIPs.forEachPair { a, i in appIPs.insert(a, ip(i)) }
        other.days.forEachEntry { packed, counters in days.add(packed, counters) }
        other.forEachUser { id, counters in userTraffic.add(UInt128(UInt32(user(id))), counters) }
        other.forEachSourceIP { id, counters in ipTraffic.add(UInt128(UInt32(ip(id))), counters) }
        other.ipUsers.forEachPair { i, u in ipUsers.insert(ip(i), user(u)) }
        other.forEachUnknownDestination { id, counters in
            unknownTraffic.add(UInt128(UInt32(unknownMap[Int(id)])), counters)
        }
        let domainMap = other.unknownDomains.values.map { unknownDomains.id($0) }
        other.unknownUsers.forEachPair { d, u in unknownUsers.insert(domainMap[Int(d)], user(u)) }
        for (device, counters) in other.devices { devices[device, default: TrafficCounters()].add(counters) }
        privateTraffic.add(other.privateTraffic)
    }
}
