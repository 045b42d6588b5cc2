package import CanopyCore

/// WatchGuard Firebox (Fireware) traffic logs over syslog.
///
/// Per the Fireware "Log Message Catalog" and "Read a Log Message": `<serial> (<yyyy-mm-ddThh:mm:ss>) firewall:
/// msg_id="3000-0148" <Allow|Deny> <src interface> <dst interface> [<length> <proto> <header length> <ttl>] <src ip>
/// <dst ip> [<src port> <dst port>] … key="value" … (<policy>)`: the packet-filter form carries the packet length,
/// protocol, header length and TTL before the addresses, the connection and proxy forms only the protocol. HTTP
/// proxy messages add `dstname`/`host`, `arg`/`path`, `op`/`method`, `src_user`, `sent_bytes` (client to server) and
/// `rcvd_bytes`. Messages that are not Allow/Deny traffic (events, alarms, diagnostics) are ignored.
///
/// An allowed connection is logged when its first packet passes (`3000-0148 Allow`, no byte counts) and, for
/// policies that log for reports, again when it ends (`3000-0151`, with the duration and byte counts): it counts
/// once, from its end log, so a valid `3000-0148 Allow` is ignored as `session-start`. Denied packets stay records.
package struct WatchGuardFireboxParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "watchguard.firebox",
        product: "WatchGuard Firebox (Fireware)",
        summary: "Fireware traffic log syslog (msg_id=\"3000-0148\" Allow|Deny interfaces, protocol, addresses, "
            + "ports; HTTP proxy lines with dstname/arg/op/sent_bytes/rcvd_bytes), per the Fireware Log Message "
            + "Catalog. Deny counts as blocked. Allowed-packet logs (3000-0148 Allow, written when a connection "
            + "starts) are ignored so that each connection counts once, from its end log (3000-0151); policies "
            + "that do not log for reports give no allowed records.",
        sample: "<142>Jan  2 03:04:05 FBX-M470 801000ABCDEF1 (2024-01-02T03:04:05) firewall: msg_id=\"1AFF-0024\" "
            + "Allow 1-Trusted 0-External tcp 10.0.0.5 162.125.1.18 51000 443 msg=\"HTTP request\" "
            + "proxy_act=\"HTTPS-Client.Standard.1\" op=\"GET\" dstname=\"www.dropbox.com\" arg=\"/home\" "
            + "sent_bytes=\"812\" rcvd_bytes=\"10240\" src_user=\"alice@corp.example\" (HTTPS-proxy-00)",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "http.method", "net.bytes_up", "net.bytes_down", "event.action",
        ]
    )

    private var pairs = KeyValueScanner()
    private var tokens = FieldSplitter()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        guard let id = line.index(of: "msg_id=\"") else { return .rejected(.notThisFormat) }
        guard let idEnd = line.index(of: UInt8(ascii: "\""), from: id + 8) else { return .rejected(.unbalancedQuotes) }
        let body = line.dropFirst(idEnd + 1)
        tokens.splitWhitespace(body, quoted: false)
        let disposition = tokens.field(0, in: body)
        let isAllow = disposition.equals("Allow")
        guard isAllow || disposition.equals("Deny") else { return .ignored(.notTraffic) }
        let closed = pairs.scan(body)
        // Disposition, two interfaces, then either "<length> <proto> <hlen> <ttl> <src> <dst>" or "<proto> <src> <dst>".
        let packetForm = tokens.field(3, in: body).isAllDigits
        let protoIndex = packetForm ? 4 : 3
        let sourceIndex = packetForm ? 7 : 4
        guard tokens.count > sourceIndex + 1 else { return .rejected(.truncated) }
        guard closed else { return .rejected(.unbalancedQuotes) }
        guard let time = Self.time(line.sub(0..<id), context: context) else { return .rejected(.badTimestamp) }
        record.time = time
        guard let source = tokens.field(sourceIndex, in: body).ipAddress,
            let destination = tokens.field(sourceIndex + 1, in: body).ipAddress
        else { return .rejected(.badAddress) }
        record.sourceIP = source
        record.destinationIP = destination
        let proto = tokens.field(protoIndex, in: body)
        if proto.equals("tcp") || proto.equals("udp"), tokens.count > sourceIndex + 3 {
            let port = tokens.field(sourceIndex + 3, in: body)
            if port.isAllDigits {
                guard let value = port.port else { return .rejected(.badNumber) }
                if value > 0 { record.destinationPort = value }
            }
        }
        if let reason = readProxyFields(into: &record, context: context) { return .rejected(reason) }
        record.action = isAllow ? .allowed : .blocked
        if isAllow, line.sub((id + 8)..<idEnd).equals("3000-0148") { return .ignored(.sessionStart) }
        return .record
    }

    /// The Firebox's own `(yyyy-mm-ddThh:mm:ss)` stamp before the message (device time, no zone: taken as UTC), else
    /// the syslog envelope's. A malformed stamp gives nil rather than the envelope's time.
    private static func time(_ prefix: Bytes, context: ParseContext) -> Timestamp? {
        var from = 0
        while let open = prefix.index(of: UInt8(ascii: "("), from: from) {
            from = open + 1
            guard TimeParsing.digits(prefix, open + 1, 4) != nil, open + 5 < prefix.count,
                prefix[open + 5] == UInt8(ascii: "-")
            else { continue }
            guard let close = prefix.index(of: UInt8(ascii: ")"), from: open) else { return nil }
            return TimeParsing.iso8601(prefix.sub((open + 1)..<close))
        }
        return SyslogHeader.parse(prefix, defaultYear: context.defaultYear).time
    }

    private func readProxyFields(into record: inout TrafficRecord, context: ParseContext) -> ReasonCode? {
        if let up = pairs.value(for: "sent_bytes"), !up.isPlaceholder {
            guard let value = up.decimal else { return .badNumber }
            record.bytesUp = value
        }
        if let down = pairs.value(for: "rcvd_bytes"), !down.isPlaceholder {
            guard let value = down.decimal else { return .badNumber }
            record.bytesDown = value
        }
        if let user = pairs.value(for: "src_user") { record.apply(user: user) }
        if let method = pairs.value(for: "op") ?? pairs.value(for: "method") { record.apply(method: method) }
        guard let host = pairs.value(for: "dstname") ?? pairs.value(for: "host"), !host.isPlaceholder else {
            return nil
        }
        record.apply(host: host)
        if let path = pairs.value(for: "arg") ?? pairs.value(for: "path"), !path.isPlaceholder,
            context.capturesDetail
        {
            record.url = FirewallFields.joinURL(scheme: nil, host: host, path: path)
        }
        return nil
    }
}
