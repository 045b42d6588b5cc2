package import CanopyCore

/// FortiGate / FortiOS key=value logs: traffic logs (`type="traffic"`) and web filter logs (`type="utm"
/// subtype="webfilter"`), over syslog or from a disk export.
///
/// Field names per the FortiOS "Log Message Reference": `date`/`time` with `tz` (6.2+) or `eventtime` (epoch in s, µs
/// or ns depending on the release), `srcip`, `dstip`, `dstport`, `user`/`unauthuser`, `srcname`, `hostname`, `url`,
/// `sentbyte` (sent by the source) and `rcvdbyte`, `action`, `httpmethod` and `agent`. Other types (event, other UTM
/// subtypes) are ignored as not traffic.
///
/// With "log traffic at session start" on, a session is logged when it starts (`action="start"`, no byte counts)
/// and again when it ends: it counts once, from its end log, so a valid start log is ignored as `session-start`.
package struct FortinetFortiGateParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "fortinet.fortigate",
        product: "Fortinet FortiGate (FortiOS)",
        summary: "FortiOS key=value traffic and web filter logs (type=traffic, type=utm subtype=webfilter), fields "
            + "as in the FortiOS Log Message Reference. Traffic action deny counts as blocked, accept/close/timeout/"
            + "*-rst as allowed; web filter blocked as blocked, passthrough as allowed. Traffic action start "
            + "(session start logs) is ignored so that each session counts once, from its end log.",
        sample: "date=2024-01-02 time=03:04:05 devname=\"FGT60F\" devid=\"FGT60FTK2109ABCD\" logid=\"0000000013\" "
            + "type=\"traffic\" subtype=\"forward\" level=\"notice\" vd=\"root\" eventtime=1704164645123456789 "
            + "tz=\"+0100\" srcip=10.0.0.5 srcport=51000 srcintf=\"port2\" dstip=52.96.1.2 dstport=443 "
            + "dstintf=\"wan1\" proto=6 action=\"close\" policyid=3 service=\"HTTPS\" user=\"alice\" "
            + "sentbyte=18587 rcvdbyte=120340",
        fields: [
            "time", "net.src_ip", "user.name", "device.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "http.method", "net.bytes_up", "net.bytes_down", "event.action", "http.user_agent",
        ]
    )

    private var pairs = KeyValueScanner()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        let closed = pairs.scan(line.dropFirst(FirewallFields.afterPriority(line)))
        guard let type = pairs.value(for: "type"), pairs.indexOf("logid") != nil else {
            return .rejected(.notThisFormat)
        }
        let isWebFilter: Bool
        if type.equals("traffic") {
            isWebFilter = false
        } else if type.equals("utm"), pairs.value(for: "subtype")?.equals("webfilter") == true {
            isWebFilter = true
        } else {
            return .ignored(.notTraffic)
        }
        guard closed else { return .rejected(.unbalancedQuotes) }
        guard let time = time() else { return .rejected(.badTimestamp) }
        record.time = time
        guard let source = pairs.value(for: "srcip") else { return .rejected(.truncated) }
        guard let sourceIP = source.ipAddress else { return .rejected(.badAddress) }
        record.sourceIP = sourceIP
        if let destination = pairs.value(for: "dstip"), !destination.isPlaceholder {
            guard let ip = destination.ipAddress else { return .rejected(.badAddress) }
            record.destinationIP = ip
        }
        if let port = pairs.value(for: "dstport"), !port.isPlaceholder {
            guard let value = port.port else { return .rejected(.badNumber) }
            if value > 0 { record.destinationPort = value }
        }
        if let up = pairs.value(for: "sentbyte"), !up.isPlaceholder {
            guard let value = up.decimal else { return .rejected(.badNumber) }
            record.bytesUp = value
        }
        if let down = pairs.value(for: "rcvdbyte"), !down.isPlaceholder {
            guard let value = down.decimal else { return .rejected(.badNumber) }
            record.bytesDown = value
        }
        if let user = pairs.value(for: "user"), !user.isPlaceholder {
            record.apply(user: user)
        } else if let user = pairs.value(for: "unauthuser") {
            record.apply(user: user)
        }
        if let name = pairs.string(for: "srcname") { record.device = name }
        applyDestination(to: &record, context: context)
        if let method = pairs.value(for: "httpmethod") { record.apply(method: method) }
        if let agent = pairs.value(for: "agent") { record.apply(userAgent: agent, context: context) }
        record.action = action(isWebFilter: isWebFilter)
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        if !isWebFilter, pairs.value(for: "action")?.equals("start") == true { return .ignored(.sessionStart) }
        return .record
    }

    /// `date`+`time` with `tz` when the log states the zone, else `eventtime`, else `date`+`time` as UTC.
    private func time() -> Timestamp? {
        let eventTime = pairs.value(for: "eventtime").flatMap { FirewallFields.epochOfAnyPrecision($0) }
        guard let date = pairs.value(for: "date"), let clock = pairs.value(for: "time") else { return eventTime }
        guard date.count == 10, clock.count == 8, let y = TimeParsing.digits(date, 0, 4),
            date[4] == UInt8(ascii: "-"), let mo = TimeParsing.digits(date, 5, 2), date[7] == UInt8(ascii: "-"),
            let d = TimeParsing.digits(date, 8, 2), let h = TimeParsing.digits(clock, 0, 2),
            clock[2] == UInt8(ascii: ":"), let mi = TimeParsing.digits(clock, 3, 2), clock[5] == UInt8(ascii: ":"),
            let s = TimeParsing.digits(clock, 6, 2)
        else { return nil }
        if let zone = pairs.value(for: "tz"), let offset = FirewallFields.zoneOffset(zone) {
            return Timestamp(year: y, month: mo, day: d, hour: h, minute: mi, second: s, offsetSeconds: offset)
        }
        return eventTime ?? Timestamp(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
    }

    /// Host from `hostname`, URL from `url` (a path in web filter logs, joined to the host).
    private func applyDestination(to record: inout TrafficRecord, context: ParseContext) {
        let host = pairs.value(for: "hostname")
        if let host { record.apply(host: host) }
        guard let url = pairs.value(for: "url"), !url.isPlaceholder else { return }
        if url[0] == UInt8(ascii: "/"), let host, !host.isPlaceholder {
            if context.capturesDetail {
                let scheme = pairs.value(for: "service").flatMap { FirewallFields.scheme(forService: $0) }
                record.url = FirewallFields.joinURL(scheme: scheme, host: host, path: url)
            }
        } else {
            record.apply(url: url, context: context)
        }
    }

    /// Traffic: `deny` (or a UTM block) is blocked; `accept`, `close`, `timeout`, `server-rst`, `client-rst` … are
    /// sessions the policy let through (`start` logs are ignored before this matters). Web filter: `blocked` → blocked, `passthrough` → allowed.
    private func action(isWebFilter: Bool) -> TrafficAction? {
        guard let word = pairs.value(for: "action") else { return nil }
        if isWebFilter {
            if word.equals("blocked") { return .blocked }
            if word.equals("passthrough") || word.equals("exempt") || word.equals("monitor") { return .allowed }
            return ActionWords.classify(word)
        }
        if word.equals("deny") || word.equals("ip-conn") || word.equals("blocked") { return .blocked }
        if let utm = pairs.value(for: "utmaction"), utm.equals("block") || utm.equals("blocked") { return .blocked }
        if word.equals("accept") || word.equals("close") || word.equals("timeout") || word.equals("server-rst")
            || word.equals("client-rst")
        {
            return .allowed
        }
        return ActionWords.classify(word)
    }
}
