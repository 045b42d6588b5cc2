package import CanopyCore

/// Sophos Firewall (XG, SFOS) syslog in key=value form: firewall and content filtering (web) logs.
///
/// Per the Sophos Firewall "Syslog descriptions" guide: up to SFOS 19.0 `device="SFW" date=… time=… timezone="…"
/// … log_type log_component log_subtype status … user_name … src_ip dst_ip src_port dst_port sent_bytes
/// recv_bytes url domain`; from SFOS 19.5 `timestamp="2024-01-02T03:04:05+0100"` and `bytes_sent`/`bytes_received`,
/// `http_user_agent`, `http_status`. `log_type` Firewall and Content Filtering are traffic; the others (Event,
/// Anti-Virus, IDP, System Health …) are ignored.
///
/// Allowed firewall connections are logged twice, `con_event="Start"` (`connevent` before 19.5) when created and
/// `"Stop"` when they end, with the duration and byte counts: a connection counts once, from its Stop, so a valid
/// Start is ignored as `session-start`. Denied and content filtering logs have no pair and are records.
package struct SophosXGParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "sophos.xg",
        product: "Sophos Firewall (XG / SFOS)",
        summary: "Sophos Firewall key=value syslog, SFOS 17–19 (date/time/timezone, sent_bytes/recv_bytes) and 19.5+ "
            + "(timestamp with offset, bytes_sent/bytes_received): Firewall and Content Filtering logs, per the "
            + "Sophos Firewall \"Syslog descriptions\". log_subtype Denied counts as blocked. Firewall "
            + "con_event/connevent Start is ignored so that each connection counts once, from its Stop.",
        sample: "device_name=\"SFW\" timestamp=\"2024-01-02T03:04:05+0100\" device_model=\"XGS2100\" "
            + "device_serial_id=\"X21001ABCDEF\" log_id=\"050901616001\" log_type=\"Content Filtering\" "
            + "log_component=\"HTTP\" log_subtype=\"Allowed\" log_version=1 severity=\"Information\" "
            + "fw_rule_id=\"5\" user_name=\"alice@corp.example\" web_policy_id=1 http_category=\"Online Storage\" "
            + "url=\"https://www.dropbox.com/home\" src_ip=\"10.0.0.5\" dst_ip=\"162.125.1.18\" protocol=\"TCP\" "
            + "src_port=51000 dst_port=443 bytes_sent=812 bytes_received=10240 domain=\"www.dropbox.com\" "
            + "http_status=\"200\"",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "http.status", "net.bytes_up", "net.bytes_down", "event.action", "http.user_agent",
        ]
    )

    private var pairs = KeyValueScanner()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        let closed = pairs.scan(line.dropFirst(FirewallFields.afterPriority(line)))
        guard let logType = pairs.value(for: "log_type"), pairs.indexOf("log_id") != nil else {
            return .rejected(.notThisFormat)
        }
        guard logType.equals("Firewall") || logType.equals("Content Filtering") else { return .ignored(.notTraffic) }
        guard closed else { return .rejected(.unbalancedQuotes) }
        guard let time = time() else { return .rejected(.badTimestamp) }
        record.time = time
        guard let source = pairs.value(for: "src_ip") else { return .rejected(.truncated) }
        guard let sourceIP = source.ipAddress else { return .rejected(.badAddress) }
        record.sourceIP = sourceIP
        if let destination = pairs.value(for: "dst_ip"), !destination.isPlaceholder {
            guard let ip = destination.ipAddress else { return .rejected(.badAddress) }
            record.destinationIP = ip
        }
        if let port = pairs.value(for: "dst_port"), !port.isPlaceholder {
            guard let value = port.port else { return .rejected(.badNumber) }
            if value > 0 { record.destinationPort = value }
        }
        if let reason = readBytes(into: &record) { return .rejected(reason) }
        if let user = pairs.value(for: "user_name") { record.apply(user: user) }
        if let domain = pairs.value(for: "domain") { record.apply(host: domain) }
        if let url = pairs.value(for: "url") { record.apply(url: url, context: context) }
        if let status = pairs.value(for: "http_status") ?? pairs.value(for: "status_code") {
            record.status = status.httpStatus
        }
        if let agent = pairs.value(for: "http_user_agent") ?? pairs.value(for: "useragent") {
            record.apply(userAgent: agent, context: context)
        }
        if let subtype = pairs.value(for: "log_subtype") {
            record.action = ActionWords.classify(subtype) ?? pairs.value(for: "status").flatMap(ActionWords.classify)
        }
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        if let event = pairs.value(for: "con_event") ?? pairs.value(for: "connevent"),
            event.equalsCaseInsensitive("start")
        {
            return .ignored(.sessionStart)
        }
        return .record
    }

    /// SFOS 19.5+ `timestamp` (ISO 8601 with offset); before, `date` + `time` in the zone named by `timezone`
    /// (UTC when the name is ambiguous, such as IST).
    private func time() -> Timestamp? {
        if let stamp = pairs.value(for: "timestamp") { return TimeParsing.iso8601(stamp) }
        guard let date = pairs.value(for: "date"), let clock = pairs.value(for: "time"), date.count == 10,
            clock.count == 8, let y = TimeParsing.digits(date, 0, 4), date[4] == UInt8(ascii: "-"),
            let mo = TimeParsing.digits(date, 5, 2), date[7] == UInt8(ascii: "-"),
            let d = TimeParsing.digits(date, 8, 2), let h = TimeParsing.digits(clock, 0, 2),
            clock[2] == UInt8(ascii: ":"), let mi = TimeParsing.digits(clock, 3, 2), clock[5] == UInt8(ascii: ":"),
            let s = TimeParsing.digits(clock, 6, 2)
        else { return nil }
        let offset = pairs.value(for: "timezone").flatMap { FirewallFields.zoneOffset($0) } ?? 0
        return Timestamp(year: y, month: mo, day: d, hour: h, minute: mi, second: s, offsetSeconds: offset)
    }

    /// `bytes_sent`/`bytes_received` (19.5+) or `sent_bytes`/`recv_bytes`, both from the client's side.
    private func readBytes(into record: inout TrafficRecord) -> ReasonCode? {
        if let up = pairs.value(for: "bytes_sent") ?? pairs.value(for: "sent_bytes"), !up.isPlaceholder {
            guard let value = up.decimal else { return .badNumber }
            record.bytesUp = value
        }
        if let down = pairs.value(for: "bytes_received") ?? pairs.value(for: "recv_bytes"), !down.isPlaceholder {
            guard let value = down.decimal else { return .badNumber }
            record.bytesDown = value
        }
        return nil
    }
}
