package import CanopyCore

/// SonicWall SonicOS syslog in its default (WELF-derived) key=value format.
///
/// Per the SonicOS "Log Events Reference Guide" (Index of Syslog Tag Field Descriptions): `sn` serial, `time`,
/// `c` legacy category, `m` message id, `src`/`dst` as `ip[:port[:interface[:name]]]` (the address left empty and
/// given in `srcV6`/`dstV6` for IPv6), `usr`/`user`, `proto` (`tcp/https`), `sent`/`rcvd` bytes of the initiator,
/// `dstname` + `arg` for web requests, `op` (1 GET, 2 POST, 3 HEAD), `result` HTTP status, `fw_action`.
/// Connection closed, web site hit/denied and dropped-packet events are traffic; system, VPN, user and attack events
/// are ignored. A connection counts once, from its "Connection Closed" (537, which carries the byte counts): a
/// valid "Connection Opened" (98, category 262144) is ignored as `session-start`.
package struct SonicWallSyslogParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "sonicwall.syslog",
        product: "SonicWall SonicOS",
        summary: "SonicOS default syslog (id=firewall sn=… c=… m=…): connections, web site hits/denials and "
            + "dropped packets, src/dst as ip:port:interface, fields per the SonicOS Log Events Reference Guide. "
            + "Blocked-site and dropped-packet events count as blocked. Connection Opened (m=98) is ignored so "
            + "that each connection counts once, from its Connection Closed (m=537).",
        sample: "<134>id=firewall sn=0040103CE114 time=\"2024-01-02 03:04:05 UTC\" fw=203.0.113.1 pri=6 c=1024 "
            + "m=97 msg=\"Web site hit\" n=4711 src=10.0.0.5:51000:X0 dst=162.125.1.18:443:X1 usr=\"alice\" "
            + "proto=tcp/https sent=1749 rcvd=9680 dstname=www.dropbox.com arg=/home op=1 result=200",
        fields: [
            "time", "net.src_ip", "user.name", "device.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "http.method", "http.status", "net.bytes_up", "net.bytes_down", "event.action",
        ]
    )

    /// Legacy categories (`c`) of traffic events: blocked sites 4, dropped TCP/UDP/ICMP 64/128/256, connection
    /// closed 1024, dropped LAN TCP/UDP/ICMP 2048/4096/8192, connection opened 262144.
    private static let trafficCategories: Int64 = 4 | 64 | 128 | 256 | 1024 | 2048 | 4096 | 8192 | 262_144
    /// Categories whose events are blocked traffic.
    private static let blockedCategories: Int64 = 4 | 64 | 128 | 256 | 2048 | 4096 | 8192

    private var pairs = KeyValueScanner()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        let closed = pairs.scan(line.dropFirst(FirewallFields.afterPriority(line)))
        guard pairs.indexOf("sn") != nil, pairs.indexOf("fw") != nil else { return .rejected(.notThisFormat) }
        let category = pairs.value(for: "c")?.decimal
        let message = pairs.value(for: "m")?.decimal
        guard Self.isTraffic(category: category, message: message) else { return .ignored(.notTraffic) }
        guard closed else { return .rejected(.unbalancedQuotes) }
        guard let timeText = pairs.value(for: "time") else { return .rejected(.truncated) }
        guard let time = FirewallFields.looseDateTime(timeText) else { return .rejected(.badTimestamp) }
        record.time = time
        guard let source = pairs.value(for: "src") else { return .rejected(.truncated) }
        switch FirewallFields.endpoint(source) {
        case .parsed(let ip, _): record.sourceIP = ip
        case .badAddress: return .rejected(.badAddress)
        case .badPort: return .rejected(.badNumber)
        }
        if let v6 = pairs.value(for: "srcV6"), record.sourceIP == nil {
            guard let ip = v6.ipAddress else { return .rejected(.badAddress) }
            record.sourceIP = ip
        }
        if let destination = pairs.value(for: "dst") {
            switch FirewallFields.endpoint(destination) {
            case .parsed(let ip, let port):
                record.destinationIP = ip
                if let port, port > 0 { record.destinationPort = port }
            case .badAddress: return .rejected(.badAddress)
            case .badPort: return .rejected(.badNumber)
            }
        }
        if let v6 = pairs.value(for: "dstV6"), record.destinationIP == nil {
            guard let ip = v6.ipAddress else { return .rejected(.badAddress) }
            record.destinationIP = ip
        }
        guard record.sourceIP != nil else { return .rejected(.truncated) }
        if let reason = readCounters(into: &record) { return .rejected(reason) }
        applyUser(to: &record)
        if let name = Self.endpointName(pairs.value(for: "src")) { record.device = name }
        applyWebRequest(to: &record, context: context)
        record.action = action(category: category, message: message)
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        if Self.isConnectionOpened(category: category, message: message) { return .ignored(.sessionStart) }
        return .record
    }

    /// Message 98 "Connection Opened" (or, without a message id, its category 262144).
    private static func isConnectionOpened(category: Int64?, message: Int64?) -> Bool {
        guard let message else { return category == 262_144 }
        return message == 98
    }

    /// Whether the event is about a connection or request, from its category or (without one) its message id:
    /// 14 web site access denied, 16 web site access allowed, 97 web site hit, 98 connection opened, 537 closed.
    private static func isTraffic(category: Int64?, message: Int64?) -> Bool {
        if let category, category & trafficCategories != 0 { return true }
        guard let message else { return false }
        return [14, 16, 97, 98, 537].contains(message)
    }

    private func readCounters(into record: inout TrafficRecord) -> ReasonCode? {
        if let sent = pairs.value(for: "sent"), !sent.isPlaceholder {
            guard let value = sent.decimal else { return .badNumber }
            record.bytesUp = value
        }
        if let received = pairs.value(for: "rcvd"), !received.isPlaceholder {
            guard let value = received.decimal else { return .badNumber }
            record.bytesDown = value
        }
        if let result = pairs.value(for: "result") { record.status = result.httpStatus }
        return nil
    }

    /// `usr` (SonicOS 6.5+) or `user`; "Unknown (SSO failed)" and similar mean no user was identified.
    private func applyUser(to record: inout TrafficRecord) {
        guard let user = pairs.value(for: "usr") ?? pairs.value(for: "user") else { return }
        if user.count >= 7, user.sub(0..<7).equalsCaseInsensitive("unknown") { return }
        record.apply(user: user)
    }

    /// The resolved name SonicWall appends as the fourth part of `src` (`10.0.0.5:51000:X0:laptop-7`).
    private static func endpointName(_ value: Bytes?) -> String? {
        guard let value else { return nil }
        var colons = 0
        for (i, b) in value.enumerated() where b == UInt8(ascii: ":") {
            colons += 1
            if colons == 3 { return value.dropFirst(i + 1).optionalString }
        }
        return nil
    }

    /// `dstname` (host) and `arg` (path) of web requests, `op` as the method.
    private func applyWebRequest(to record: inout TrafficRecord, context: ParseContext) {
        guard let host = pairs.value(for: "dstname"), !host.isPlaceholder else { return }
        record.apply(host: host)
        if let path = pairs.value(for: "arg"), !path.isPlaceholder, context.capturesDetail {
            let scheme = pairs.value(for: "proto").flatMap { FirewallFields.scheme(forService: $0) }
            record.url = FirewallFields.joinURL(scheme: scheme, host: host, path: path)
        }
        switch pairs.value(for: "op")?.decimal {
        case 1: record.method = "GET"
        case 2: record.method = "POST"
        case 3: record.method = "HEAD"
        default: break
        }
    }

    /// Blocked: message 14 (web site access denied), a blocked-site or dropped-packet category (except the
    /// allowed web messages 16 and 97), or `fw_action` drop/reject. Everything else that is traffic passed.
    private func action(category: Int64?, message: Int64?) -> TrafficAction {
        if message == 14 { return .blocked }
        if message != 16, message != 97, let category, category & Self.blockedCategories != 0 { return .blocked }
        if let fwAction = pairs.value(for: "fw_action"), fwAction.equals("drop") || fwAction.equals("reject") {
            return .blocked
        }
        return .allowed
    }
}
