package import CanopyCore

/// iboss cloud Secure Web Gateway logs forwarded over syslog by the "Syslog Log Forwarding" integration, in its JSON
/// log format (one object per message, iboss's field names: `sourceIpAddress`, `ipAddress`, `destinationPort`,
/// `url`, `host`, `requestMethod`, `responseCode`, `userAgent`, `username`, `computerName`, `upstreamByteUsage`,
/// `downstreamByteUsage`, `action`, `logType`, `logTime` + `time`), or in CEF (`CEF:0|iboss|…`) with the standard
/// ArcSight keys.
///
/// `WEB_LOG` and `DLP` entries are traffic; other log types (audit) are not. `Blocked` and `Soft-blocked` (a warning
/// page) count as blocked. `logTime`/`time` are UTC; without them `proxyTransactionStartTime` (epoch) or the syslog
/// envelope gives the time. In CEF, `in` is the bytes sent from the source (upload) and `out` the bytes received.
package struct IbossSyslogParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "iboss.syslog",
        product: "iboss Cloud Secure Web Gateway",
        summary: "iboss web and DLP logs from the Syslog Log Forwarding integration: the JSON log format (iboss field "
            + "names: sourceIpAddress, ipAddress, url, action, username, upstream/downstreamByteUsage, logTime/time) "
            + "or CEF with vendor iboss. Audit logs are ignored. From iboss's syslog log-forwarding settings and "
            + "field list as documented for its SIEM integrations.",
        sample: "<46>Jan  2 03:04:05 acme.ibosscloud.com {\"logType\":\"WEB_LOG\",\"logTime\":\"2024-01-02\","
            + "\"time\":\"03:04:05\",\"sourceIpAddress\":\"10.0.0.5\",\"username\":\"alice\",\"action\":\"Allowed\","
            + "\"url\":\"https://www.dropbox.com/home\",\"host\":\"www.dropbox.com\",\"ipAddress\":\"162.125.1.18\","
            + "\"destinationPort\":\"443\",\"requestMethod\":\"GET\",\"responseCode\":\"200\","
            + "\"upstreamByteUsage\":\"1250\",\"downstreamByteUsage\":\"56000\"}",
        fields: [
            "time", "net.src_ip", "user.name", "device.name", "net.dst_host", "net.dst_ip", "net.dst_port",
            "http.url", "http.method", "http.status", "net.bytes_up", "net.bytes_down", "event.action",
            "http.user_agent",
        ]
    )

    private var json = FlatJSONScanner()
    private var cef = CEFMessage()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        let text = line.trimmed
        guard !text.isEmpty else { return .rejected(.emptyLine) }
        if let brace = text.index(of: UInt8(ascii: "{")), text.index(of: "CEF:") == nil {
            let header = brace > 0 ? SyslogHeader.parse(text.sub(0..<brace), defaultYear: context.defaultYear) : nil
            return parseJSON(text.dropFirst(brace), envelopeTime: header?.time, context: context).deliver(into: &record)
        }
        if cef.parse(text) {
            guard cef.headerField(1).trimmed.equalsCaseInsensitive("iboss") else { return .rejected(.notThisFormat) }
            let header =
                cef.start > 0 ? SyslogHeader.parse(text.sub(0..<cef.start), defaultYear: context.defaultYear) : nil
            return parseCEF(envelopeTime: header?.time, context: context).deliver(into: &record)
        }
        return .rejected(text.index(of: "CEF:") != nil ? .truncated : .notThisFormat)
    }

    // MARK: - JSON

    private mutating func parseJSON(_ object: Bytes, envelopeTime: Timestamp?, context: ParseContext) -> ParseResult {
        guard json.scan(object) else { return .rejected(.badJSON) }
        if let type = json.value(for: "logType"), !type.equals("WEB_LOG"), !type.equals("DLP") {
            return .ignored(.notTraffic)
        }
        guard json.value(for: "url") != nil || json.value(for: "host") != nil || json.value(for: "ipAddress") != nil
        else {
            return .rejected(json.count == 0 ? .notThisFormat : .truncated)
        }
        var record = TrafficRecord()
        switch jsonTime() {
        case .bad: return .rejected(.badTimestamp)
        case .time(let t): record.time = t
        case .none: record.time = envelopeTime
        }
        if let source = json.value(for: "sourceIpAddress") ?? json.value(for: "privateIp"), !source.isPlaceholder {
            guard let ip = source.ipAddress else { return .rejected(.badAddress) }
            record.sourceIP = ip
        }
        if let destination = json.value(for: "ipAddress"), !destination.isPlaceholder {
            guard let ip = destination.ipAddress else { return .rejected(.badAddress) }
            record.destinationIP = ip
        }
        if let port = json.value(for: "destinationPort"), !port.isPlaceholder {
            guard let p = port.port else { return .rejected(.badNumber) }
            record.destinationPort = p
        }
        if var url = json.string(for: "url") {
            url.withUTF8 { record.apply(url: $0, context: context) }
        }
        if record.destinationHost == nil, var host = json.string(for: "host") {
            host.withUTF8 { record.apply(host: $0) }
        }
        if let method = json.value(for: "requestMethod") { record.apply(method: method) }
        if let status = json.value(for: "responseCode"), !status.isPlaceholder {
            guard status.isAllDigits else { return .rejected(.badNumber) }
            record.status = status.httpStatus
        }
        if var user = json.string(for: "username") {
            user.withUTF8 { record.apply(user: $0) }
        }
        if let device = json.string(for: "computerName") { record.device = device }
        if var agent = json.string(for: "userAgent") {
            agent.withUTF8 { record.apply(userAgent: $0, context: context) }
        }
        guard
            record.apply(
                bytesUp: json.value(for: "upstreamByteUsage"),
                bytesDown: json.value(for: "downstreamByteUsage")
            )
        else { return .rejected(.badNumber) }
        if let action = json.value(for: "action") { record.action = Self.action(action) }
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return .record(record)
    }

    private enum JSONTime {
        case time(Timestamp)
        case bad
        case none
    }

    /// `logTime` (yyyy-mm-dd) with `time` (hh:mm:ss), else `proxyTransactionStartTime` (epoch seconds).
    private func jsonTime() -> JSONTime {
        if let date = json.value(for: "logTime"), !date.isPlaceholder {
            guard date.count == 10, let clock = json.value(for: "time"), clock.count == 8 else { return .bad }
            var joined = [UInt8](repeating: 32, count: 19)
            for i in 0..<10 { joined[i] = date[i] }
            for i in 0..<8 { joined[11 + i] = clock[i] }
            let t = joined.withUnsafeBufferPointer { TimeParsing.iso8601($0) }
            return t.map(JSONTime.time) ?? .bad
        }
        if let start = json.value(for: "proxyTransactionStartTime"), !start.isPlaceholder {
            return TimeParsing.epoch(start).map(JSONTime.time) ?? .bad
        }
        return .none
    }

    // MARK: - CEF

    private func parseCEF(envelopeTime: Timestamp?, context: ParseContext) -> ParseResult {
        var record = TrafficRecord()
        if let rt = cef.value(for: "rt"), !rt.isPlaceholder {
            guard let t = TimeParsing.any(rt.trimmed, defaultYear: context.defaultYear) else {
                return .rejected(.badTimestamp)
            }
            record.time = t
        } else {
            record.time = envelopeTime
        }
        if let source = cef.value(for: "src"), !source.isPlaceholder {
            guard let ip = source.trimmed.ipAddress else { return .rejected(.badAddress) }
            record.sourceIP = ip
        }
        if let destination = cef.value(for: "dst"), !destination.isPlaceholder {
            guard let ip = destination.trimmed.ipAddress else { return .rejected(.badAddress) }
            record.destinationIP = ip
        }
        if let port = cef.value(for: "dpt"), !port.isPlaceholder {
            guard let p = port.trimmed.port else { return .rejected(.badNumber) }
            record.destinationPort = p
        }
        if var url = cef.string(for: "request") {
            url.withUTF8 { record.apply(url: $0, context: context) }
        }
        if record.destinationHost == nil, let host = cef.value(for: "dhost") { record.apply(host: host) }
        if let method = cef.value(for: "requestMethod") { record.apply(method: method.trimmed) }
        if var user = cef.string(for: "suser") {
            user.withUTF8 { record.apply(user: $0) }
        }
        if let device = cef.string(for: "shost") { record.device = device }
        if var agent = cef.string(for: "requestClientApplication") {
            agent.withUTF8 { record.apply(userAgent: $0, context: context) }
        }
        if let up = cef.value(for: "in"), !up.isPlaceholder {
            guard let v = up.trimmed.decimal else { return .rejected(.badNumber) }
            record.bytesUp = v
        }
        if let down = cef.value(for: "out"), !down.isPlaceholder {
            guard let v = down.trimmed.decimal else { return .rejected(.badNumber) }
            record.bytesDown = v
        }
        if let action = cef.value(for: "act") { record.action = Self.action(action) }
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return .record(record)
    }

    /// `Allowed` is allowed; `Blocked` and `Soft-blocked` (a warning page the user may click through) are blocked.
    private static func action(_ word: Bytes) -> TrafficAction? {
        let w = word.trimmed
        if w.equalsCaseInsensitive("soft-blocked") { return .blocked }
        return ActionWords.classify(w)
    }
}
