package import CanopyCore

/// Juniper SRX session logs (`RT_FLOW`): RT_FLOW_SESSION_CREATE, RT_FLOW_SESSION_CLOSE and RT_FLOW_SESSION_DENY
/// (and their `_LS` logical-system variants), in structured syslog or the standard text form.
///
/// Structured (RFC 5424, `set system syslog … structured-data`): the message id names the event and the
/// `[junos@2636.1.1.1.2.x …]` element carries `source-address`, `source-port`, `destination-address`,
/// `destination-port`, `protocol-id`, `username`, `bytes-from-client`, `bytes-from-server` (Junos "System Log
/// Explorer", RT_FLOW). Standard text: `RT_FLOW_SESSION_CLOSE: session closed <reason>: src/port->dst/port service
/// … packets(bytes) packets(bytes) elapsed application nested-application user(roles) …`, read by shape: the
/// first `a/p->b/q` pair and the first two `n(m)` counters. Other RT_* and APPTRACK events are ignored.
///
/// A session counts once, from its CLOSE (which carries the byte counts): a valid CREATE is ignored as
/// `session-start`, also where policies log at session init only. DENY has no pair and is a record.
package struct JuniperSRXParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "juniper.srx",
        product: "Juniper SRX (Junos)",
        summary: "Junos RT_FLOW session logs (RT_FLOW_SESSION_CLOSE with bytes from client/server, _DENY) in "
            + "structured syslog ([junos@2636… source-address=… …]) or standard text form, per the Junos System "
            + "Log Explorer. DENY counts as blocked; other RT_* events are not traffic. RT_FLOW_SESSION_CREATE is "
            + "ignored so that each session counts once, from its CLOSE; policies that log only at session init "
            + "give no records.",
        sample: "<14>1 2024-01-02T03:04:05.123+01:00 srx-edge RT_FLOW - RT_FLOW_SESSION_CLOSE "
            + "[junos@2636.1.1.1.2.129 reason=\"TCP FIN\" source-address=\"10.0.0.5\" source-port=\"51000\" "
            + "destination-address=\"52.96.1.2\" destination-port=\"443\" service-name=\"junos-https\" "
            + "protocol-id=\"6\" policy-name=\"trust-to-untrust\" source-zone-name=\"trust\" "
            + "destination-zone-name=\"untrust\" session-id-32=\"8245\" packets-from-client=\"12\" "
            + "bytes-from-client=\"1820\" packets-from-server=\"14\" bytes-from-server=\"15230\" elapsed-time=\"3\" "
            + "application=\"SSL\" nested-application=\"MS-OFFICE365\" username=\"alice\" roles=\"N/A\"]",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_ip", "net.dst_port", "net.bytes_up", "net.bytes_down",
            "event.action",
        ]
    )

    private enum Event { case create, close, deny }

    private var pairs = KeyValueScanner()
    private var tokens = FieldSplitter()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        guard let (event, nameEnd) = Self.findEvent(in: line) else {
            return line.index(of: "RT_") != nil || line.index(of: "APPTRACK_") != nil
                ? .ignored(.notTraffic) : .rejected(.notThisFormat)
        }
        guard let event else { return .ignored(.notTraffic) }
        let header = SyslogHeader.parse(line, defaultYear: context.defaultYear)
        guard let time = header.time else { return .rejected(.badTimestamp) }
        record.time = time
        let rest = line.dropFirst(nameEnd)
        var scan = 0
        while scan < rest.count, rest[scan] == 32 { scan += 1 }
        let reason: ReasonCode?
        if scan < rest.count, rest[scan] == UInt8(ascii: "[") {
            reason = readStructured(rest.dropFirst(scan), into: &record)
        } else if scan < rest.count, rest[scan] == UInt8(ascii: ":") {
            reason = readText(rest.dropFirst(scan + 1), event: event, into: &record)
        } else {
            reason = .truncated
        }
        if let reason { return .rejected(reason) }
        record.action = event == .deny ? .blocked : .allowed
        guard record.destinationIP != nil else { return .rejected(.noDestination) }
        return event == .create ? .ignored(.sessionStart) : .record
    }

    /// Finds `RT_FLOW_SESSION_…` as a token; returns the event (nil for other RT_FLOW events) and where the name ends.
    private static func findEvent(in line: Bytes) -> (Event?, Int)? {
        var from = 0
        while let i = line.index(of: "RT_FLOW_", from: from) {
            from = i + 1
            // A token of its own, or the tag of `%USER-6-RT_FLOW_SESSION_CLOSE` (explicit-priority syslog).
            guard i == 0 || line[i - 1] == 32 || line[i - 1] == UInt8(ascii: "-") else { continue }
            var end = i
            while end < line.count, line[end] != 32, line[end] != UInt8(ascii: ":") { end += 1 }
            let name = line.sub(i..<end)
            if name.equals("RT_FLOW_SESSION_CREATE") || name.equals("RT_FLOW_SESSION_CREATE_LS") {
                return (.create, end)
            }
            if name.equals("RT_FLOW_SESSION_CLOSE") || name.equals("RT_FLOW_SESSION_CLOSE_LS") { return (.close, end) }
            if name.equals("RT_FLOW_SESSION_DENY") || name.equals("RT_FLOW_SESSION_DENY_LS") { return (.deny, end) }
            return (nil, end)
        }
        return nil
    }

    /// The `[junos@… key="value" …]` structured-data element.
    private mutating func readStructured(_ element: Bytes, into record: inout TrafficRecord) -> ReasonCode? {
        guard pairs.scan(element) else { return .unbalancedQuotes }
        guard let source = pairs.value(for: "source-address"),
            let destination = pairs.value(for: "destination-address")
        else { return .truncated }
        guard let sourceIP = source.ipAddress, let destinationIP = destination.ipAddress else { return .badAddress }
        record.sourceIP = sourceIP
        record.destinationIP = destinationIP
        if let port = pairs.value(for: "destination-port"), !port.isPlaceholder {
            guard let value = port.port else { return .badNumber }
            if value > 0, !Self.isICMP(pairs.value(for: "protocol-id")) { record.destinationPort = value }
        }
        if let up = pairs.value(for: "bytes-from-client"), !up.isPlaceholder {
            guard let value = up.decimal else { return .badNumber }
            record.bytesUp = value
        }
        if let down = pairs.value(for: "bytes-from-server"), !down.isPlaceholder {
            guard let value = down.decimal else { return .badNumber }
            record.bytesDown = value
        }
        // Structured-data values escape `"`, `\` and `]` with a backslash (RFC 5424 §6.3.3).
        if let user = pairs.string(for: "username") { record.user = user }
        return nil
    }

    /// The standard text form after `RT_FLOW_SESSION_…:`.
    private mutating func readText(_ text: Bytes, event: Event, into record: inout TrafficRecord) -> ReasonCode? {
        tokens.splitWhitespace(text, quoted: false)
        var flow: Int?
        for i in 0..<tokens.count where tokens.field(i, in: text).index(of: "->") != nil {
            flow = i
            break
        }
        guard let flow else { return .truncated }
        let pair = tokens.field(flow, in: text)
        guard let arrow = pair.index(of: "->") else { return .truncated }
        guard let (sourceIP, _) = Self.addressAndPort(pair.sub(0..<arrow)),
            let (destinationIP, port) = Self.addressAndPort(pair.dropFirst(arrow + 2))
        else { return .badAddress }
        record.sourceIP = sourceIP
        record.destinationIP = destinationIP
        let service = tokens.field(flow + 1, in: text)
        if let port, port > 0, !service.hasPrefix("icmp") { record.destinationPort = port }
        guard event == .close else { return nil }
        // packets-from-client(bytes-from-client) packets-from-server(bytes-from-server) elapsed-time application
        // nested-application username(roles)
        var counters: [Int] = []
        var i = flow + 1
        while i < tokens.count, counters.count < 2 {
            if Self.counter(tokens.field(i, in: text)) != nil { counters.append(i) }
            i += 1
        }
        guard counters.count == 2 else { return .truncated }
        record.bytesUp = Self.counter(tokens.field(counters[0], in: text))
        record.bytesDown = Self.counter(tokens.field(counters[1], in: text))
        let userIndex = counters[1] + 4
        if userIndex < tokens.count {
            let token = tokens.field(userIndex, in: text)
            if let open = token.index(of: UInt8(ascii: "(")), open > 0, token[token.count - 1] == UInt8(ascii: ")") {
                record.apply(user: token.sub(0..<open))
            }
        }
        return nil
    }

    /// `10.0.0.1/51000` or `2001:db8::1/443` (the port after the last slash).
    private static func addressAndPort(_ b: Bytes) -> (IPAddress, Int?)? {
        var slash = b.count
        while slash > 0, b[slash - 1] != UInt8(ascii: "/") { slash -= 1 }
        guard slash > 0, let ip = b.sub(0..<(slash - 1)).ipAddress else { return nil }
        return (ip, b.dropFirst(slash).port)
    }

    /// The bytes of a `packets(bytes)` counter.
    private static func counter(_ b: Bytes) -> Int64? {
        guard let open = b.index(of: UInt8(ascii: "(")), open > 0, b.count > open + 2,
            b[b.count - 1] == UInt8(ascii: ")"), b.sub(0..<open).isAllDigits
        else { return nil }
        return b.sub((open + 1)..<(b.count - 1)).decimal
    }

    private static func isICMP(_ protocolID: Bytes?) -> Bool {
        guard let p = protocolID else { return false }
        return p.equals("1") || p.equals("58")
    }
}
