package import CanopyCore

/// Stormshield Network Security (SNS, formerly NETASQ) audit logs over syslog, a WELF-compatible key=value format.
///
/// Per the Stormshield "Description of Audit logs" (SNS v4): common fields `time` (local, `YYYY-MM-DD HH:MM:SS`),
/// `tz` (`+HHMM`), `startime`, `fw`, `logtype`; traffic fields `src`, `dst`, `dstport`, `dstname` (the object name
/// of the destination, or the web host in web logs), `user`, `action` (`pass`/`block`), `sent`/`rcvd` (bytes sent
/// and received by the source), and for web logs `op`, `arg`, `result`. The connection, filter, web, SSL, plugin and
/// FTP logs are traffic; alarm, auth, system, VPN, server and statistics logs are ignored.
package struct StormshieldSNSParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "stormshield.sns",
        product: "Stormshield Network Security",
        summary: "Stormshield SNS audit logs (id=firewall time=… tz=… startime=… logtype=…): connection, filter, web "
            + "and SSL logs with src, dst, dstport, dstname, user, action pass/block, sent/rcvd, per the Stormshield "
            + "\"Description of Audit logs\".",
        sample: "id=firewall time=\"2024-01-02 03:04:05\" fw=\"SN310A39F0123456\" tz=+0100 "
            + "startime=\"2024-01-02 03:04:04\" pri=5 confid=01 slotlevel=2 ruleid=12 srcif=\"Ethernet1\" "
            + "srcifname=\"in\" ipproto=tcp proto=https src=10.0.0.5 srcport=51000 srcportname=ephemeral_fw_tcp "
            + "dst=162.125.1.18 dstport=443 dstportname=https dstname=www.dropbox.com user=\"alice\" "
            + "domain=\"corp.example\" action=pass op=\"GET\" arg=\"/home\" result=200 sent=812 rcvd=10240 "
            + "logtype=\"web\"",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "http.method", "http.status", "net.bytes_up", "net.bytes_down", "event.action",
        ]
    )

    private var pairs = KeyValueScanner()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        let closed = pairs.scan(line.dropFirst(FirewallFields.afterPriority(line)))
        guard pairs.indexOf("fw") != nil, pairs.indexOf("startime") != nil || pairs.indexOf("logtype") != nil,
            pairs.indexOf("tz") != nil
        else { return .rejected(.notThisFormat) }
        let logType = pairs.value(for: "logtype")
        let isWeb = logType?.equals("web") == true || logType?.equals("ssl") == true
        if let logType {
            guard Self.trafficLogTypes.contains(where: { logType.equals($0) }) else { return .ignored(.notTraffic) }
        } else if pairs.indexOf("alarmid") != nil || pairs.indexOf("dst") == nil {
            return .ignored(.notTraffic)
        }
        guard closed else { return .rejected(.unbalancedQuotes) }
        guard let timeText = pairs.value(for: "time") else { return .rejected(.truncated) }
        guard let local = TimeParsing.slashDate(timeText) else { return .rejected(.badTimestamp) }
        let offset = pairs.value(for: "tz").flatMap { FirewallFields.zoneOffset($0) } ?? 0
        record.time = Timestamp(millisecondsSinceEpoch: local.millisecondsSinceEpoch - Int64(offset) * 1000)
        guard let source = pairs.value(for: "src") else { return .rejected(.truncated) }
        guard let sourceIP = source.ipAddress else { return .rejected(.badAddress) }
        record.sourceIP = sourceIP
        if let destination = pairs.value(for: "dst"), !destination.isPlaceholder {
            guard let ip = destination.ipAddress else { return .rejected(.badAddress) }
            record.destinationIP = ip
        }
        if let port = pairs.value(for: "dstport"), !port.isPlaceholder {
            guard let value = port.port else { return .rejected(.badNumber) }
            if value > 0 { record.destinationPort = value }
        }
        guard record.apply(bytesUp: pairs.value(for: "sent"), bytesDown: pairs.value(for: "rcvd")) else {
            return .rejected(.badNumber)
        }
        if let user = pairs.value(for: "user") { record.apply(user: user) }
        applyHost(isWeb: isWeb, to: &record, context: context)
        if let action = pairs.value(for: "action") {
            if action.equalsCaseInsensitive("pass") { record.action = .allowed }
            if action.equalsCaseInsensitive("block") { record.action = .blocked }
        }
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return .record
    }

    /// Log types (`logtype`) of the l_connection, l_filter, l_web, l_ssl, l_plugin and l_ftp files.
    private static let trafficLogTypes: [StaticString] = ["connection", "filter", "web", "ssl", "plugin", "ftp"]

    /// `dstname` is the web host in web and SSL logs; elsewhere it is the destination's object name, kept only when
    /// it is a DNS name (an object called `Firewall_out` names no application).
    private func applyHost(isWeb: Bool, to record: inout TrafficRecord, context: ParseContext) {
        guard let name = pairs.value(for: "dstname"), !name.isPlaceholder else { return }
        guard isWeb || FirewallFields.looksLikeHostName(name) else { return }
        record.apply(host: name)
        guard isWeb else { return }
        if let method = pairs.value(for: "op") { record.apply(method: method) }
        if let result = pairs.value(for: "result") { record.status = result.httpStatus }
        if let path = pairs.value(for: "arg"), !path.isPlaceholder, context.capturesDetail {
            let scheme = pairs.value(for: "proto").flatMap { FirewallFields.scheme(forService: $0) }
            record.url = FirewallFields.joinURL(scheme: scheme, host: name, path: path)
        }
    }
}
