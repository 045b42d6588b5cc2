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
/// - per catalog app: its traffic, in an array indexed by the app; and its distinct users and source IPs
///   (``MemberSets``: sorted ids, then bitsets), from which the report also counts each user's and each IP's apps;
/// - per user and per source IP: their traffic, unknown destinations included; the distinct users of each IP;
/// - per unknown destination: its traffic; and the distinct users of each registrable domain (``MemberSets``)
///   instead of a full aggregate per (destination, user, IP), because the long tail of unknown sites would
///   otherwise dominate memory (measured: 2 M such aggregates at 10 M lines of a 2,000-user week);
/// - per (day, app), with all unknown traffic of a day in one bucket.
///
/// Per-record cost is kept to one hash probe ((day, app)), one cached host lookup and the user and source-IP
/// interners; users, source IPs, apps and unknown destinations are dense ids indexing arrays. No table is keyed by
/// (app, user): the report needs each app's traffic and its distinct users, not each user's traffic per app, and a
/// bit per (app, user) stays in the cache where a 64-byte aggregate per pair did not (docs/benchmarks.md, session
/// 13: 9% less time on a 1 M-line Squid log). A source IP's member set is only touched when the user is not one of
/// the last two seen on it.
///
/// (The (day, app, user, IP) grain of DESIGN.md §3.1 is the store's, for `canopy serve`; a snapshot report does
/// not need it.) Aggregators filled on several cores merge exactly.
package struct DiscoveryAggregator: Sendable {
    /// A day (days since the epoch; -1 without a time) and a catalog app index, or ``unknownApp``.
    package struct DayKey: Hashable, Sendable {
        package var day: Int32
        package var app: Int32

        var packed: UInt64 { CounterTable.key(day, app) }

        init(day: Int32, app: Int32) {
            self.day = day
            self.app = app
        }

        init(packed: UInt64) { (day, app) = CounterTable.ids(packed) }
    }

    package let matcher: AppMatcher
    /// Traffic per catalog app (by app index).
    private var appTraffic = DenseCounters()
    /// Distinct users per app.
    private var appUsers = MemberSets()
    /// Distinct source IPs per app.
    private var appIPs = MemberSets()
    private var days = CounterTable(capacity: 64)
    private var userTraffic = DenseCounters()
    /// Traffic per source IP, with the users last seen on each.
    private var ipTraffic = DenseCounters()
    /// Distinct users per source IP.
    private var ipUsers = MemberSets()
    /// Traffic per unknown destination, with the users last seen on each.
    private var unknownTraffic = DenseCounters()
    /// Distinct users per unknown registrable domain.
    private var unknownUsers = MemberSets()
    /// The registrable domain of every unknown destination (by destination id), computed once per destination.
    private var unknownDomainOf: [Int32] = []
    private var unknownHosts = TextInterner()
    /// What each recently seen host resolved to, for records that come without a host symbol.
    private var hostMemo = HostMemo()
    /// The tables this aggregator's records are parsed with (``TrafficSink/symbols``), and what each host symbol
    /// resolved to (a ``HostMemo/Value``) and each user symbol's user id.
    package let symbols: FieldSymbols?
    private var hostValueOfSymbol = SymbolValues()
    private var userOfSymbol = SymbolValues()
    private var unknownAddresses = AddressInterner()
    /// Unknown destination id by ``unknownHosts`` id and by ``unknownAddresses`` id.
    private var unknownIDOfHost: [Int32] = []
    private var unknownIDOfAddress: [Int32] = []
    package private(set) var unknownDomains = TextInterner()
    package private(set) var users = TextInterner()
    package private(set) var sourceIPs = AddressInterner()
    /// Unmatched public destinations by id: host names, or addresses when there is no name.
    package private(set) var unknownDestinations: [UnknownDestination] = []
    package private(set) var devices: [String: TrafficCounters] = [:]
    /// Traffic to private, loopback and link-local destinations (not apps).
    package private(set) var privateTraffic = TrafficCounters()

    /// Records added or merged.
    private var records = 0

    /// Interned id for "no user" and "no source IP".
    package static let none: Int32 = -1
    /// The ``DayKey/app`` of all unknown destinations of a day.
    package static let unknownApp: Int32 = -1

    /// - Parameters:
    ///   - matcher: the catalog's destination → app matcher.
    ///   - symbols: the tables to parse this aggregator's records with (a fresh pair by default).
    package init(matcher: AppMatcher, symbols: FieldSymbols = FieldSymbols()) {
        self.matcher = matcher
        self.symbols = symbols
    }

    /// Adds one record.
    @inline(__always)
    package mutating func add(_ record: TrafficRecord) {
        records += 1
        let up = record.bytesUp ?? 0
        let down = record.bytesDown ?? 0
        let total = record.totalBytes
        let blocked = record.action == .blocked
        let time = record.time?.millisecondsSinceEpoch
        var app: Int32 = Self.unknownApp
        var unknown: Int32 = -1
        if let host = record.destinationHost, !host.isEmpty {
            // The rules of ``AppMatcher/match(host:ip:)``, with the host's part remembered in ``hostMemo``.
            let v = record.symbols.host >= 0 ? hostValue(symbol: record.symbols.host, host) : hostValue(host)
            if v >= 0 {
                app = v
            } else if record.destinationIP?.isPrivateOrLocal == true || v == HostMemo.localName {
                privateTraffic.add(up: up, down: down, total: total, blocked: blocked, time: time)
                return
            } else if let ip = record.destinationIP, let index = matcher.rangeMatch(ip) {
                app = index
            } else {
                unknown = HostMemo.unknownID(v)
            }
        } else {
            switch matcher.match(host: nil, ip: record.destinationIP) {
            case .app(let index):
                app = index
            case .unknownIP:
                unknown = unknownID(address: record.destinationIP ?? IPAddress(ipv4: 0))
            case .unknownHost, .privateDestination, .none:
                privateTraffic.add(up: up, down: down, total: total, blocked: blocked, time: time)
                return
            }
        }
        // Records without a time go to day -1.
        let day = record.time.map { Int32(truncatingIfNeeded: $0.dayNumber) } ?? -1
        let user: Int32
        if let name = record.user {
            user = record.symbols.user >= 0 ? userID(symbol: record.symbols.user, name) : users.id(name)
        } else {
            user = Self.none
        }
        let ip = record.sourceIP.map { sourceIPs.id($0) } ?? Self.none
        if user >= 0 {
            userTraffic.add(user, up: up, down: down, total: total, blocked: blocked, time: time)
        }
        if ip >= 0 {
            ipTraffic.add(ip, up: up, down: down, total: total, blocked: blocked, time: time)
            if user >= 0, ipTraffic.noteRecent(ip, user) { ipUsers.insert(ip, user) }
        }
        days.add(DayKey(day: day, app: app).packed, up: up, down: down, total: total, blocked: blocked, time: time)
        if app >= 0 {
            appTraffic.add(app, up: up, down: down, total: total, blocked: blocked, time: time)
            if user >= 0 { appUsers.insert(app, user) }
            if ip >= 0 { appIPs.insert(app, ip) }
        } else {
            unknownTraffic.add(unknown, up: up, down: down, total: total, blocked: blocked, time: time)
            if user >= 0, unknownTraffic.noteRecent(unknown, user) {
                unknownUsers.insert(domain(ofUnknown: unknown), user)
            }
        }
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

    /// Whether no record was added or merged yet.
    package var isEmpty: Bool { records == 0 }

    /// The catalog app of a host, ``HostMemo/localName``, or its unknown destination id (``HostMemo/unknown(_:)``).
    @inline(__always)
    private mutating func hostValue(_ host: String) -> HostMemo.Value {
        let found = hostMemo.find(host)
        if let v = found.value { return v }
        let v: HostMemo.Value
        if let index = matcher.lookup(host: host) {
            v = index
        } else if matcher.isLocalName(host) {
            v = HostMemo.localName
        } else {
            v = HostMemo.unknown(unknownID(host: host))
        }
        hostMemo.remember(host, value: v, slot: found.slot, hash: found.hash)
        return v
    }

    /// ``hostValue(_:)`` of `host`, which the session's table gave `symbol`: an array read after its first record.
    @inline(__always)
    private mutating func hostValue(symbol: Int32, _ host: String) -> HostMemo.Value {
        if let v = hostValueOfSymbol.value(of: symbol) { return v }
        let v = hostValue(host)
        hostValueOfSymbol.store(v, for: symbol)
        return v
    }

    /// The user id of `name`, which the session's table gave `symbol`.
    @inline(__always)
    private mutating func userID(symbol: Int32, _ name: String) -> Int32 {
        if let id = userOfSymbol.value(of: symbol) { return id }
        let id = users.id(name)
        userOfSymbol.store(id, for: symbol)
        return id
    }

    /// The unknown destination id of a host name.
    @inline(__always)
    private mutating func unknownID(host: String) -> Int32 {
        let h = Int(unknownHosts.id(host))
        if h == unknownIDOfHost.count { unknownIDOfHost.append(newUnknown(.host(host))) }
        return unknownIDOfHost[h]
    }

    /// The unknown destination id of an address.
    @inline(__always)
    private mutating func unknownID(address: IPAddress) -> Int32 {
        let a = Int(unknownAddresses.id(address))
        if a == unknownIDOfAddress.count { unknownIDOfAddress.append(newUnknown(.address(address))) }
        return unknownIDOfAddress[a]
    }

    private mutating func newUnknown(_ destination: UnknownDestination) -> Int32 {
        unknownDestinations.append(destination)
        return Int32(unknownDestinations.count - 1)
    }

    /// The unknown destination id of `destination`, adding it if new.
    private mutating func unknownID(_ destination: UnknownDestination) -> Int32 {
        switch destination {
        case .host(let h): unknownID(host: h)
        case .address(let a): unknownID(address: a)
        }
    }

    /// The interned registrable domain of an unknown destination.
    package mutating func domain(ofUnknown id: Int32) -> Int32 {
        while unknownDomainOf.count <= Int(id) {
            let destination = unknownDestinations[unknownDomainOf.count]
            unknownDomainOf.append(unknownDomains.id(RegistrableDomain.of(destination.description)))
        }
        return unknownDomainOf[Int(id)]
    }

    /// Calls `body` with every catalog app index that saw traffic and its traffic.
    package func forEachApp(_ body: (Int32, TrafficCounters) -> Void) { appTraffic.forEachEntry(body) }

    /// Calls `body` for every distinct (app, user) pair.
    package func forEachAppUser(_ body: (Int32, Int32) -> Void) { appUsers.forEachPair(body) }

    /// Calls `body` for every distinct (app, source IP) pair.
    package func forEachAppSourceIP(_ body: (Int32, Int32) -> Void) { appIPs.forEachPair(body) }

    /// Calls `body` for every (day, app) aggregate (app ``unknownApp``: all unknown destinations of that day).
    package func forEachDay(_ body: (DayKey, TrafficCounters) -> Void) {
        days.forEachEntry { body(DayKey(packed: $0), $1) }
    }

    /// Calls `body` with every interned user id and its traffic.
    package func forEachUser(_ body: (Int32, TrafficCounters) -> Void) { userTraffic.forEachEntry(body) }

    /// Calls `body` with every interned source IP id and its traffic.
    package func forEachSourceIP(_ body: (Int32, TrafficCounters) -> Void) { ipTraffic.forEachEntry(body) }

    /// Calls `body` for every distinct (source IP, user) pair.
    package func forEachSourceIPUser(_ body: (Int32, Int32) -> Void) { ipUsers.forEachPair(body) }

    /// Calls `body` with every unknown destination id and its traffic.
    package func forEachUnknownDestination(_ body: (Int32, TrafficCounters) -> Void) {
        unknownTraffic.forEachEntry(body)
    }

    /// The number of distinct users of an unknown registrable domain (ids from ``unknownDomains``).
    package func userCount(ofUnknownDomain id: Int32) -> Int { unknownUsers.count(id) }

    /// Adds everything another aggregator (same catalog) collected.
    package mutating func merge(_ other: DiscoveryAggregator) {
        records += other.records
        let userMap = other.users.values.map { users.id($0) }
        let ipMap = other.sourceIPs.values.map { sourceIPs.id($0) }
        let unknownMap = other.unknownDestinations.map { unknownID($0) }
        func user(_ id: Int32) -> Int32 { id >= 0 ? userMap[Int(id)] : id }
        func ip(_ id: Int32) -> Int32 { id >= 0 ? ipMap[Int(id)] : id }
        other.forEachApp { app, counters in appTraffic.add(app, counters) }
        other.appUsers.forEachPair { a, u in appUsers.insert(a, user(u)) }
        other.appIPs.forEachPair { a, i in appIPs.insert(a, ip(i)) }
        other.days.forEachEntry { packed, counters in days.add(packed, counters) }
        other.forEachUser { id, counters in userTraffic.add(user(id), counters) }
        other.forEachSourceIP { id, counters in ipTraffic.add(ip(id), counters) }
        other.ipUsers.forEachPair { i, u in ipUsers.insert(ip(i), user(u)) }
        other.forEachUnknownDestination { id, counters in unknownTraffic.add(unknownMap[Int(id)], counters) }
        let domainMap = other.unknownDomains.values.map { unknownDomains.id($0) }
        other.unknownUsers.forEachPair { d, u in unknownUsers.insert(domainMap[Int(d)], user(u)) }
        for (device, counters) in other.devices { devices[device, default: TrafficCounters()].add(counters) }
        privateTraffic.add(other.privateTraffic)
    }
}
