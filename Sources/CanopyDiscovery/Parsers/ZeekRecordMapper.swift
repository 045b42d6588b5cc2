import CanopyCore

/// The field values of one Zeek log entry: a TSV line mapped through `#fields`, or a JSON object.
protocol ZeekFieldValues {
    /// The bytes of a field as logged (a JSON string without its quotes), or nil when the entry leaves it unset or
    /// empty. Escapes are not resolved: for numbers, addresses and times, which never carry any.
    func raw(_ field: ZeekField) -> Bytes?
    /// Calls `body` with a text field's bytes, escapes resolved (without a copy when there are none); does not call
    /// it when the field is unset or empty.
    func withDecoded(_ field: ZeekField, _ body: (Bytes) -> Void)
}

/// Maps Zeek http, ssl, conn and dns entries to ``TrafficRecord``s: the one mapping behind both the TSV and the
/// JSON parser of each log (field meanings from Zeek's `base/protocols/*/main.zeek`).
///
/// - Source is always `id.orig_h`. `id.resp_h`/`id.resp_p` are the destination for http, ssl and conn; for conn
///   over ICMP, `id.resp_p` is the ICMP code, not a port, and is dropped.
/// - http: the Host header is the destination host, `uri` (made absolute with the Host header, as Zeek's
///   `HTTP::build_url_http` does) the URL. Through an explicit proxy, `id.resp_h`/`id.resp_p` are the proxy and the
///   Host header or the absolute/CONNECT target name the site. `request_body_len` is sent, `response_body_len`
///   received (bodies only: the log has no header byte counts).
/// - ssl: `server_name` (SNI) is the destination host; without SNI the destination is the server address.
/// - conn: no host name, the destination is the address; `orig_bytes`/`resp_bytes` are payload bytes.
/// - dns: the destination is the name in `query`. `id.resp_h` is the resolver, not the application the client is
///   after, so it is never the destination IP and `id.resp_p` (53) never the port; the destination IP is set only
///   when the query itself is an IP literal (`apply(host:)`). A message that names nothing (no question, the root
///   zone, the NetBIOS `*` wildcard) is ignored as not traffic. NXDOMAIN and rejected lookups are records: the
///   client still tried to reach the name.
/// - Zeek watches traffic and does not enforce policy, so no record has an action.
enum ZeekRecordMapper {
    /// Fills `record` (empty on entry) from one line's values.
    static func record<V: ZeekFieldValues>(
        _ kind: ZeekLogKind,
        from values: V,
        into record: inout TrafficRecord,
        context: ParseContext
    ) -> LineOutcome {
        guard let ts = values.raw(.ts), let time = time(ts) else { return .rejected(.badTimestamp) }
        record.time = time
        if let b = values.raw(.originHost) {
            guard let ip = IPAddress(bytes: b) else { return .rejected(.badAddress) }
            record.sourceIP = ip
        }
        var responder: IPAddress?
        if let b = values.raw(.responderHost) {
            guard let ip = IPAddress(bytes: b) else { return .rejected(.badAddress) }
            responder = ip
        }
        var port: Int?
        if let b = values.raw(.responderPort) {
            guard let p = b.port else { return .rejected(.badNumber) }
            port = p
        }
        switch kind {
        case .http:
            record.destinationIP = responder
            record.destinationPort = port
            if let problem = applyHTTP(values, to: &record, context: context) { return .rejected(problem) }
        case .ssl:
            record.destinationIP = responder
            record.destinationPort = port
            values.withDecoded(.serverName) { record.apply(host: $0) }
        case .conn:
            record.destinationIP = responder
            if let proto = values.raw(.transport), proto.equals("icmp") {
                record.destinationPort = nil
            } else {
                record.destinationPort = port
            }
            if let b = values.raw(.originBytes) {
                guard let n = b.decimal else { return .rejected(.badNumber) }
                record.bytesUp = n
            }
            if let b = values.raw(.responderBytes) {
                guard let n = b.decimal else { return .rejected(.badNumber) }
                record.bytesDown = n
            }
        case .dns:
            values.withDecoded(.query) { query in
                // `*` is the NetBIOS node-status wildcard, not a name.
                guard !query.equals("*") else { return }
                record.apply(host: query)
            }
            guard record.destinationHost != nil || record.destinationIP != nil else { return .ignored(.notTraffic) }
        }
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return .record
    }

    /// The http.log fields; returns the reason when one is malformed.
    private static func applyHTTP<V: ZeekFieldValues>(
        _ values: V,
        to record: inout TrafficRecord,
        context: ParseContext
    ) -> ReasonCode? {
        if let b = values.raw(.statusCode) {
            guard b.decimal != nil else { return .badNumber }
            record.status = b.httpStatus
        }
        if let b = values.raw(.requestBodyLength) {
            guard let n = b.decimal else { return .badNumber }
            record.bytesUp = n
        }
        if let b = values.raw(.responseBodyLength) {
            guard let n = b.decimal else { return .badNumber }
            record.bytesDown = n
        }
        var isConnect = false
        values.withDecoded(.method) { method in
            record.apply(method: method)
            isConnect = method.equals("CONNECT")
        }
        // The Host header may carry a port (`example.com:8080`, `[2001:db8::1]:8080`).
        var hostHeader: String?
        values.withDecoded(.host) { host in
            if IPAddress(bytes: host) != nil {
                record.apply(host: host)
            } else if let r = URLParts.hostRange(in: host) {
                record.apply(host: host.sub(r))
            }
            if context.capturesDetail { hostHeader = host.string }
        }
        values.withDecoded(.uri) { uri in
            if isConnect || uri.index(of: "://") != nil {
                // Authority form (CONNECT host:port) or absolute form (a request to a proxy): already a URL.
                record.apply(url: uri, context: context)
            } else if context.capturesDetail, uri.count > 0, uri[0] == UInt8(ascii: "/"),
                let authority = hostHeader ?? authority(record.destinationIP, record.destinationPort)
            {
                record.url = "http://" + authority + uri.string
            }
        }
        values.withDecoded(.username) { record.apply(user: $0) }
        values.withDecoded(.userAgent) { record.apply(userAgent: $0, context: context) }
        return nil
    }

    /// `address[:port]` for a URL when the request had no Host header; port 80 is left out.
    private static func authority(_ ip: IPAddress?, _ port: Int?) -> String? {
        guard let ip else { return nil }
        var text = ip.isIPv4 ? ip.description : "[" + ip.description + "]"
        if let port, port != 80 { text += ":" + String(port) }
        return text
    }

    /// `ts`: epoch seconds with a fraction (the default), epoch milliseconds (`JSON::TS_MILLIS`) or ISO 8601
    /// (`LogAscii::json_timestamps = JSON::TS_ISO8601`).
    static func time(_ b: Bytes) -> Timestamp? {
        if b.count >= 19, b[4] == UInt8(ascii: "-") { return TimeParsing.iso8601(b) }
        return TimeParsing.epoch(b)
    }
}
