package import CanopyCore

/// Cisco ASA and Secure Firewall Threat Defense (FTD) syslog: connection built/teardown, access-list denies and URL
/// filtering, as defined in the Cisco "ASA Series Syslog Messages" and "Secure Firewall Threat Defense Syslog
/// Messages" guides. FTD connection events (430002/430003) are read too, since FTD sends them in the same stream.
///
/// Direction follows the guide: in 302013/302015 "outbound" means the inside host started the connection and the
/// first address is the remote (destination) side; "inbound" means the first address is the initiator. Teardown
/// messages (302014/302016) keep the built message's order but do not say the direction, so the parser remembers
/// the direction of each built connection id it saw; for a teardown whose built message it did not see, an
/// identity-firewall user marks the initiator, else the side with the smaller port is taken as the server.
/// Teardown bytes are the connection's total (`net.bytes_total`).
///
/// A connection counts once, from its teardown (or FTD 430003 connection end), which carries the bytes: a valid
/// built message is read for its direction and then ignored as `session-start`, as is an FTD 430002.
package struct CiscoASAParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "cisco.asa",
        product: "Cisco ASA / Secure Firewall Threat Defense",
        summary: "ASA and FTD syslog (%ASA-/%FTD-): 302014/302016 teardown connections, "
            + "106001/106006/106007/106015/106023/106100/710003 denies, 304001/304002 URL filtering, and FTD "
            + "430003 connection end events. Each connection counts once, from its teardown or end event: "
            + "302013/302015 built messages (read only for the direction) and 430002 connection start events are "
            + "ignored; other message ids are ignored as not traffic. From Cisco's ASA Series and Secure Firewall "
            + "Threat Defense syslog message guides.",
        sample: "<166>Jan 02 2024 03:04:35 fw01 : %ASA-6-302014: Teardown TCP connection 4711 for "
            + "outside:162.125.1.18/443 to inside:10.0.0.5/51000 duration 0:00:30 bytes 58213 TCP FINs",
        fields: [
            "time", "net.src_ip", "user.name", "device.name", "net.dst_host", "net.dst_ip", "net.dst_port",
            "http.url", "http.status", "net.bytes_up", "net.bytes_down", "net.bytes_total", "event.action",
            "http.user_agent",
        ]
    )

    private var connectionEvent = FirepowerConnectionEvent()
    /// Direction of the connections seen built, by device and connection id: true for outbound.
    private var builtDirections: [UInt64: Bool] = [:]
    private static let maxRememberedConnections = 16_384

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        let message: CiscoSyslogMessage
        switch CiscoSyslogMessage.parse(line, defaultYear: context.defaultYear) {
        case .notCisco: return .rejected(line.trimmed.isEmpty ? .emptyLine : .notThisFormat)
        case .badTimestamp: return .rejected(.badTimestamp)
        case .message(let m): message = m
        }
        if FirepowerConnectionEvent.isConnectionEvent(message.messageID) {
            return connectionEvent.record(
                from: message.body,
                messageID: message.messageID,
                time: message.time,
                context: context
            )
            .deliver(into: &record)
        }
        record.time = message.time
        let body = message.body
        var isBuilt = false
        do throws(Rejection) {
            switch message.messageID {
            case 302_013, 302_015:
                try built(body, host: message.host, into: &record)
                isBuilt = true
            case 302_014, 302_016: try teardown(body, host: message.host, into: &record)
            case 106_023: try accessGroupDeny(body, into: &record)
            case 106_100, 106_102, 106_103: try accessList(body, into: &record)
            case 106_001, 106_006, 106_007, 106_015, 710_003: try fromTo(body, into: &record)
            case 304_001: try urlAccessed(body, context: context, into: &record)
            case 304_002: try urlDenied(body, context: context, into: &record)
            default: return .ignored(.notTraffic)
            }
        } catch {
            return .rejected(error.reason)
        }
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        // The connection counts once, from its teardown; the built message only taught us its direction.
        return isBuilt ? .ignored(.sessionStart) : .record
    }

    /// A line that cannot be read, with the reason.
    private struct Rejection: Error {
        let reason: ReasonCode
        static let truncated = Rejection(reason: .truncated)
        static let notThisFormat = Rejection(reason: .notThisFormat)
        static let badAddress = Rejection(reason: .badAddress)
        static let badNumber = Rejection(reason: .badNumber)
    }

    // MARK: - 302013/302015 and 302014/302016

    /// `Built {inbound|outbound} [Probe] TCP connection 9 for outside:1.2.3.4/443 (1.2.3.4/443)[(user)] to
    /// inside:10.0.0.5/51000 (mapped)[(user)] [(aaa user)]`.
    private mutating func built(_ body: Bytes, host: Bytes?, into record: inout TrafficRecord) throws(Rejection) {
        var s = CiscoScanner(body)
        guard s.skip("Built ") else { throw .notThisFormat }
        let outbound: Bool
        if s.skip("outbound ") {
            outbound = true
        } else if s.skip("inbound ") {
            outbound = false
        } else {
            throw .notThisFormat
        }
        _ = s.skip("Probe ")
        guard s.skipWord(), s.skip("connection "), let id = s.readNumber(), s.skip(" for ") else { throw .truncated }
        let pair = try readPair(&s)
        if builtDirections.count >= Self.maxRememberedConnections { builtDirections.removeAll(keepingCapacity: true) }
        builtDirections[connectionKey(id: id, host: host)] = outbound
        apply(pair, firstIsDestination: outbound, into: &record)
        record.action = .allowed
    }

    /// `Teardown TCP connection 9 for outside:1.2.3.4/443[(user)] to inside:10.0.0.5/51000[(user)] duration
    /// 0:00:30 bytes 1234 [reason] [(aaa user)]`.
    private mutating func teardown(_ body: Bytes, host: Bytes?, into record: inout TrafficRecord) throws(Rejection) {
        var s = CiscoScanner(body)
        guard s.skip("Teardown ") else { throw .notThisFormat }
        guard s.skipWord(), s.skip("connection "), let id = s.readNumber(), s.skip(" for ") else { throw .truncated }
        var pair = try readPair(&s)
        guard s.skip("duration "), s.skipWord(), s.skip("bytes ") else { throw .truncated }
        guard let bytes = s.readWord().decimal else { throw .badNumber }
        // A trailing "(user)" after the teardown reason is the AAA user.
        let rest = s.remaining.trimmed
        if rest.count > 2, rest[rest.count - 1] == UInt8(ascii: ")"),
            let open = Self.lastIndex(of: UInt8(ascii: "("), in: rest),
            let name = CiscoASAEndpoint.groupName(rest.sub((open + 1)..<(rest.count - 1)))
        {
            pair.aaaUser = name
        }
        let firstIsDestination =
            builtDirections.removeValue(forKey: connectionKey(id: id, host: host)) ?? Self.guessFirstIsDestination(pair)
        apply(pair, firstIsDestination: firstIsDestination, into: &record)
        record.bytesTotal = bytes
        record.action = .allowed
    }

    /// Without the built message: an identity-firewall user marks the initiator; otherwise the side with the
    /// smaller port is the server. With nothing to go on, the usual outbound layout (first side is the server).
    private static func guessFirstIsDestination(_ pair: ConnectionPair) -> Bool {
        let firstUser = pair.first.tag.map { !CiscoASAEndpoint.isFQDN($0) } ?? false
        let secondUser = pair.second.tag.map { !CiscoASAEndpoint.isFQDN($0) } ?? false
        if firstUser != secondUser { return secondUser }
        if let a = pair.first.port, let b = pair.second.port, a != b { return a < b }
        return true
    }

    private struct ConnectionPair {
        var first: CiscoASAEndpoint
        var second: CiscoASAEndpoint
        var aaaUser: Bytes?
    }

    /// Reads `A [(mapped)][(user)] to B [(mapped)][(user)] [(aaa user)]`.
    private func readPair(_ s: inout CiscoScanner) throws(Rejection) -> ConnectionPair {
        let first = try readEndpoint(&s)
        guard s.skip("to ") else { throw .truncated }
        let second = try readEndpoint(&s)
        // A group left after the second endpoint and its attached groups is the AAA user.
        var aaa: Bytes?
        if s.peek(UInt8(ascii: "(")), let group = s.readGroup() {
            aaa = CiscoASAEndpoint.groupName(group)
            s.skipSpaces()
        }
        return ConnectionPair(first: first, second: second, aaaUser: aaa)
    }

    /// Reads `iface:addr[/port]` and the groups that belong to it: a spaced `(mapped/port)` and an attached
    /// `(DOMAIN\user, sgt)` or `(fqdn)`.
    private func readEndpoint(_ s: inout CiscoScanner) throws(Rejection) -> CiscoASAEndpoint {
        let token = s.readEndpointToken()
        guard !token.isEmpty else { throw .truncated }
        var endpoint = try Self.endpoint(CiscoASAEndpoint.colonForm(token))
        while true {
            if s.peek(UInt8(ascii: "(")) {
                guard let inner = s.readGroup() else { break }
                if !Self.looksMapped(inner), endpoint.tag == nil { endpoint.tag = CiscoASAEndpoint.groupName(inner) }
            } else if s.peekAfterSpace(UInt8(ascii: "(")), let inner = s.peekSpacedGroup(), Self.looksMapped(inner) {
                _ = s.readGroup()
            } else {
                break
            }
        }
        s.skipSpaces()
        return endpoint
    }

    /// A `(addr/port)` or `(addr)` mapped-address group.
    private static func looksMapped(_ inner: Bytes) -> Bool {
        guard let slash = inner.index(of: UInt8(ascii: "/")) else { return IPAddress(bytes: inner.trimmed) != nil }
        return IPAddress(bytes: inner.sub(0..<slash).trimmed) != nil
    }

    private func apply(_ pair: ConnectionPair, firstIsDestination: Bool, into record: inout TrafficRecord) {
        Self.setSource(firstIsDestination ? pair.second : pair.first, into: &record)
        Self.setDestination(firstIsDestination ? pair.first : pair.second, into: &record)
        if record.user == nil, let aaa = pair.aaaUser { record.apply(user: aaa) }
    }

    private static func setSource(_ e: CiscoASAEndpoint, into record: inout TrafficRecord) {
        switch e.address {
        case .ip(let ip): record.sourceIP = ip
        case .name(let name): record.device = name.string
        }
        if let tag = e.tag, !CiscoASAEndpoint.isFQDN(tag) { record.apply(user: tag) }
    }

    private static func setDestination(_ e: CiscoASAEndpoint, into record: inout TrafficRecord) {
        switch e.address {
        case .ip(let ip): record.destinationIP = ip
        case .name(let name): record.apply(host: name)
        }
        if let tag = e.tag, CiscoASAEndpoint.isFQDN(tag) { record.apply(host: tag) }
        record.destinationPort = e.port
    }

    /// Connection ids are per device: the sending host is mixed into the key.
    private func connectionKey(id: UInt64, host: Bytes?) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in host ?? Bytes(start: nil, count: 0) {
            hash ^= UInt64(b)
            hash = hash &* 0x100_0000_01b3
        }
        return hash ^ id
    }

    // MARK: - Denies

    /// `Deny tcp src outside:1.2.3.4/80[(user)] dst inside:10.0.0.5/8277[(fqdn)] by access-group "acl" [...]`.
    private func accessGroupDeny(_ body: Bytes, into record: inout TrafficRecord) throws(Rejection) {
        guard body.hasPrefix("Deny ") else { throw .notThisFormat }
        guard let srcAt = body.index(of: " src "), let dstAt = body.index(of: " dst ", from: srcAt + 5) else {
            throw .truncated
        }
        var s = CiscoScanner(body.sub((srcAt + 5)..<dstAt))
        let source = try readEndpoint(&s)
        var d = CiscoScanner(body.dropFirst(dstAt + 5))
        let destination = try readEndpoint(&d)
        Self.setSource(source, into: &record)
        Self.setDestination(destination, into: &record)
        record.action = .blocked
    }

    /// `access-list acl {permitted|denied|est-allowed} tcp [for user u] in/10.0.0.5(51000)[(user)] ->
    /// out/1.2.3.4(443) hit-cnt 1 first hit [...]` (106100, 106102, 106103).
    private func accessList(_ body: Bytes, into record: inout TrafficRecord) throws(Rejection) {
        var s = CiscoScanner(body)
        guard s.skip("access-list ") else { throw .notThisFormat }
        guard s.skipWord() else { throw .truncated }
        let verdict = s.readWord()
        if verdict.equals("denied") {
            record.action = .blocked
        } else if verdict.equals("permitted") || verdict.equals("est-allowed") {
            record.action = .allowed
        } else {
            throw verdict.isEmpty ? .truncated : .notThisFormat
        }
        guard s.skipWord() else { throw .truncated }
        if s.skip("for user ") {
            var user = s.readWord()
            if user.count >= 2, user[0] == UInt8(ascii: "'"), user[user.count - 1] == UInt8(ascii: "'") {
                user = user.sub(1..<(user.count - 1))
            }
            record.apply(user: user)
        }
        let rest = s.remaining
        guard let arrow = rest.index(of: " -> ") else { throw .truncated }
        let source = try Self.endpoint(CiscoASAEndpoint.slashForm(rest.sub(0..<arrow)))
        var t = CiscoScanner(rest.dropFirst(arrow + 4))
        let destination = try Self.endpoint(CiscoASAEndpoint.slashForm(t.readWord()))
        let user = record.user
        Self.setSource(source, into: &record)
        if let user { record.user = user }
        Self.setDestination(destination, into: &record)
    }

    /// `… from 1.2.3.4/5000 to [iface:]10.0.0.5/443 …` (106001, 106006, 106007, 106015, 710003): all denies.
    private func fromTo(_ body: Bytes, into record: inout TrafficRecord) throws(Rejection) {
        guard let fromAt = body.index(of: " from ") else { throw .notThisFormat }
        var s = CiscoScanner(body.dropFirst(fromAt + 6))
        let sourceToken = s.readWord()
        guard s.skip("to ") else { throw .truncated }
        let destinationToken = s.readWord()
        let source = try Self.endpoint(CiscoASAEndpoint.colonForm(sourceToken))
        let destination = try Self.endpoint(CiscoASAEndpoint.colonForm(destinationToken))
        Self.setSource(source, into: &record)
        Self.setDestination(destination, into: &record)
        record.action = .blocked
    }

    // MARK: - URL filtering

    /// `[user@]10.0.0.5[(idfw user)] Accessed [JAVA ]URL 1.2.3.4:http://host/path` (304001).
    private func urlAccessed(_ body: Bytes, context: ParseContext, into record: inout TrafficRecord) throws(Rejection) {
        guard let accessed = body.index(of: " Accessed ") else { throw .notThisFormat }
        var who = body.sub(0..<accessed).trimmed
        if let open = who.index(of: UInt8(ascii: "(")) {
            if let close = who.index(of: UInt8(ascii: ")"), from: open),
                let name = CiscoASAEndpoint.groupName(who.sub((open + 1)..<close))
            {
                record.apply(user: name)
            }
            who = who.sub(0..<open).trimmed
        }
        if let at = who.index(of: UInt8(ascii: "@")) {
            if record.user == nil { record.apply(user: who.sub(0..<at)) }
            who = who.dropFirst(at + 1)
        }
        guard let source = who.ipAddress else { throw .badAddress }
        record.sourceIP = source
        var rest = body.dropFirst(accessed + 10)
        guard let urlWord = rest.index(of: "URL ") else { throw .truncated }
        rest = rest.dropFirst(urlWord + 4).trimmed
        // "dest:url" (or "dest: url"): the URL starts at its scheme.
        guard let separator = rest.index(of: "://") else { throw .truncated }
        var schemeStart = separator
        while schemeStart > 0, (rest[schemeStart - 1] | 0x20) >= 97, (rest[schemeStart - 1] | 0x20) <= 122 {
            schemeStart -= 1
        }
        var destinationEnd = schemeStart
        while destinationEnd > 0, rest[destinationEnd - 1] == 32 { destinationEnd -= 1 }
        if destinationEnd > 0, rest[destinationEnd - 1] == UInt8(ascii: ":") { destinationEnd -= 1 }
        let destination = rest.sub(0..<destinationEnd).trimmed
        if !destination.isEmpty {
            guard let ip = destination.ipAddress else { throw .badAddress }
            record.destinationIP = ip
        }
        record.apply(url: rest.dropFirst(schemeStart), context: context)
        record.action = .allowed
    }

    /// `Access denied URL http://host/path SRC 10.0.0.5 DEST 1.2.3.4 on interface inside` (304002).
    private func urlDenied(_ body: Bytes, context: ParseContext, into record: inout TrafficRecord) throws(Rejection) {
        let prefix = 18  // "Access denied URL "
        guard body.hasPrefix("Access denied URL ") else { throw .notThisFormat }
        guard let srcAt = body.index(of: " SRC ", from: prefix), let dstAt = body.index(of: " DEST ", from: srcAt + 5)
        else { throw .truncated }
        var s = CiscoScanner(body.sub((srcAt + 5)..<dstAt))
        guard let source = s.readWord().ipAddress else { throw .badAddress }
        var d = CiscoScanner(body.dropFirst(dstAt + 6))
        var destination = d.readWord()
        if destination.count > 0, destination[destination.count - 1] == UInt8(ascii: ":") {
            destination = destination.sub(0..<(destination.count - 1))
        }
        guard let destinationIP = destination.ipAddress else { throw .badAddress }
        record.sourceIP = source
        record.destinationIP = destinationIP
        if srcAt > prefix { record.apply(url: body.sub(prefix..<srcAt).trimmed, context: context) }
        record.action = .blocked
    }

    // MARK: - Helpers

    private static func endpoint(
        _ result: Result<CiscoASAEndpoint, CiscoASAEndpoint.Failure>
    ) throws(Rejection)
        -> CiscoASAEndpoint
    {
        switch result {
        case .success(let e): return e
        case .failure(.badAddress): throw .badAddress
        case .failure(.badNumber): throw .badNumber
        case .failure(.truncated): throw .truncated
        }
    }

    private static func lastIndex(of byte: UInt8, in b: Bytes) -> Int? {
        var i = b.count - 1
        while i >= 0 {
            if b[i] == byte { return i }
            i -= 1
        }
        return nil
    }
}
