import CanopyCore

/// Small byte readers shared by the firewall parsers of the `firewalls` family: the `<PRI>` in front of a
/// message, `ip:port:interface` endpoints (SonicWall, WELF), zone offsets, loose dates and epochs of any precision.
enum FirewallFields {
    /// The index just after a leading syslog `<PRI>`, or 0 when the line has none.
    static func afterPriority(_ line: Bytes) -> Int {
        let n = line.count
        guard n > 2, line[0] == UInt8(ascii: "<") else { return 0 }
        var j = 1
        while j < n, j <= 4, line[j] >= 48 && line[j] <= 57 { j += 1 }
        if j < n, j > 1, line[j] == UInt8(ascii: ">") { return j + 1 }
        return 0
    }

    /// What an `ip[:port[:interface[:name]]]` value holds.
    enum Endpoint {
        /// The address (nil when the value leaves it empty, as SonicWall does for IPv6) and the port if written.
        case parsed(IPAddress?, port: Int?)
        case badAddress
        case badPort
    }

    /// Reads `ip`, `ip:port`, `ip:port:interface` or `ip:port:interface:name`; a bare IPv6 address also parses.
    static func endpoint(_ value: Bytes) -> Endpoint {
        let v = value.trimmed
        if let ip = IPAddress(bytes: v) { return .parsed(ip, port: nil) }
        guard let colon = v.index(of: UInt8(ascii: ":")) else { return .badAddress }
        var ip: IPAddress?
        if colon > 0 {
            guard let parsed = IPAddress(bytes: v.sub(0..<colon)) else { return .badAddress }
            ip = parsed
        }
        let rest = v.dropFirst(colon + 1)
        let portEnd = rest.index(of: UInt8(ascii: ":")) ?? rest.count
        let portBytes = rest.sub(0..<portEnd)
        if portBytes.isEmpty { return .parsed(ip, port: nil) }
        guard let port = portBytes.port else { return .badPort }
        return .parsed(ip, port: port)
    }

    /// Sets the source address from an `ip[:port…]` value; the port (the client's) is not kept.
    ///
    /// - Returns: the rejection reason when the value is malformed, else nil.
    static func setSource(_ value: Bytes, in r: inout TrafficRecord) -> ReasonCode? {
        switch endpoint(value) {
        case .parsed(let ip, _):
            r.sourceIP = ip
            return nil
        case .badAddress: return .badAddress
        case .badPort: return .badNumber
        }
    }

    /// Sets the destination address and port from an `ip[:port…]` value; port 0 is not kept.
    ///
    /// - Returns: the rejection reason when the value is malformed, else nil.
    static func setDestination(_ value: Bytes, in r: inout TrafficRecord) -> ReasonCode? {
        switch endpoint(value) {
        case .parsed(let ip, let port):
            r.destinationIP = ip
            if let port, port > 0 { r.destinationPort = port }
            return nil
        case .badAddress: return .badAddress
        case .badPort: return .badNumber
        }
    }

    /// A zone written `+0200`, `-06:00`, `+02`, `Z`, `UTC`/`GMT` or one of the unambiguous abbreviations below, in
    /// seconds east of UTC. Ambiguous abbreviations (`IST`, `CST`, `AST` …) give nil, so the caller treats the time as
    /// UTC rather than guess.
    static func zoneOffset(_ zone: Bytes) -> Int? {
        let z = zone.trimmed.unquoted
        guard !z.isEmpty else { return nil }
        if z[0] == UInt8(ascii: "+") || z[0] == UInt8(ascii: "-") {
            let sign = z[0] == UInt8(ascii: "-") ? -1 : 1
            guard let hh = TimeParsing.digits(z, 1, 2), hh <= 23 else { return nil }
            var i = 3
            if i < z.count, z[i] == UInt8(ascii: ":") { i += 1 }
            if i == z.count { return sign * hh * 3600 }
            guard let mm = TimeParsing.digits(z, i, 2), mm <= 59, i + 2 == z.count else { return nil }
            return sign * (hh * 3600 + mm * 60)
        }
        for (name, hours, minutes) in abbreviations where z.equalsCaseInsensitive(name) {
            return hours * 3600 + (hours < 0 ? -minutes : minutes) * 60
        }
        return nil
    }

    /// Zone abbreviations that mean one offset only.
    private static let abbreviations: [(StaticString, Int, Int)] = [
        ("z", 0, 0), ("utc", 0, 0), ("gmt", 0, 0), ("wet", 0, 0), ("west", 1, 0), ("bst", 1, 0), ("cet", 1, 0),
        ("cest", 2, 0), ("eet", 2, 0), ("eest", 3, 0), ("msk", 3, 0), ("hkt", 8, 0), ("sgt", 8, 0), ("awst", 8, 0),
        ("jst", 9, 0), ("kst", 9, 0), ("acst", 9, 30), ("aest", 10, 0), ("aedt", 11, 0), ("nzst", 12, 0),
        ("nzdt", 13, 0), ("est", -5, 0), ("edt", -4, 0), ("cdt", -5, 0), ("mst", -7, 0), ("mdt", -6, 0),
        ("pst", -8, 0), ("pdt", -7, 0), ("akst", -9, 0), ("akdt", -8, 0), ("hst", -10, 0),
    ]

    /// `yyyy-m-d h:mm:ss` with one- or two-digit month, day and hour (`-` or `/` between the date parts, a space or
    /// `T` before the time), then an optional zone (` UTC`, `+0100` …). Without a zone the time is taken as UTC.
    static func looseDateTime(_ b: Bytes) -> Timestamp? {
        var i = 0
        func number(_ maxDigits: Int) -> Int? { TimeParsing.number(b, &i, maxDigits: maxDigits) }
        func expect(_ c: UInt8, or d: UInt8? = nil) -> Bool {
            guard i < b.count, b[i] == c || b[i] == d else { return false }
            i += 1
            return true
        }
        guard let year = number(4), i == 4, expect(UInt8(ascii: "-"), or: UInt8(ascii: "/")),
            let month = number(2), expect(UInt8(ascii: "-"), or: UInt8(ascii: "/")), let day = number(2),
            expect(32, or: UInt8(ascii: "T")), let hour = number(2), expect(UInt8(ascii: ":")),
            let minute = number(2), expect(UInt8(ascii: ":")), let second = number(2)
        else { return nil }
        var offset = 0
        if i < b.count {
            var zoneStart = i
            while zoneStart < b.count, b[zoneStart] == 32 { zoneStart += 1 }
            guard let zone = zoneOffset(b.dropFirst(zoneStart)) else { return nil }
            offset = zone
        }
        return Timestamp(
            year: year,
            month: month,
            day: day,
            hour: hour,
            minute: minute,
            second: second,
            offsetSeconds: offset
        )
    }

    /// A Unix epoch in seconds (10 digits), milliseconds (13), microseconds (16) or nanoseconds (19), as FortiOS
    /// writes `eventtime` depending on its version; nil outside 1990–2100.
    static func epochOfAnyPrecision(_ b: Bytes) -> Timestamp? {
        let v = b.trimmed
        guard v.isAllDigits, let value = v.count <= 18 ? v.decimal : v.sub(0..<18).decimal else { return nil }
        let milliseconds: Int64
        switch v.count {
        case 9, 10: milliseconds = value * 1000
        case 13: milliseconds = value
        case 16: milliseconds = value / 1000
        case 19: milliseconds = value / 100_000  // 18 of the 19 digits were read: tenths of microseconds.
        default: return nil
        }
        guard milliseconds >= 631_152_000_000, milliseconds <= 4_102_531_200_000 else { return nil }
        return Timestamp(millisecondsSinceEpoch: milliseconds)
    }

    /// Whether the bytes look like a DNS name (letters, digits, `-`, `.`, `_` with at least one dot), rather than an
    /// object name such as `Firewall_out` or `Internet`.
    static func looksLikeHostName(_ b: Bytes) -> Bool {
        guard b.count >= 3, b[0] != UInt8(ascii: "."), b[b.count - 1] != UInt8(ascii: ".") else { return false }
        var dots = 0
        for c in b {
            switch c {
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                continue
            default: return false
            }
        }
        return dots > 0
    }

    /// `scheme://host` + `path` (or `host` + `path` without a scheme) as one string, for logs that split a URL
    /// into a host field and a path field.
    static func joinURL(scheme: StaticString?, host: Bytes, path: Bytes) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(host.count + path.count + 8)
        if let scheme {
            out.append(contentsOf: UnsafeBufferPointer(start: scheme.utf8Start, count: scheme.utf8CodeUnitCount))
            out.append(contentsOf: "://".utf8)
        }
        out.append(contentsOf: host)
        if !path.isEmpty, path[0] != UInt8(ascii: "/") { out.append(UInt8(ascii: "/")) }
        out.append(contentsOf: path)
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes as a string with ASCII letters in upper case (HTTP methods logged as `get`).
    static func uppercased(_ b: Bytes) -> String {
        String(decoding: b.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self)
    }

    /// The URL scheme for a service or protocol name (`https`, `tcp/https`, `HTTPS`), if it names one.
    static func scheme(forService service: Bytes) -> StaticString? {
        var s = service.trimmed
        if let slash = s.index(of: UInt8(ascii: "/")) { s = s.dropFirst(slash + 1) }
        if s.equalsCaseInsensitive("https") { return "https" }
        if s.equalsCaseInsensitive("http") { return "http" }
        return nil
    }
}
