package import CanopyCore

/// McAfee (Skyhigh) Web Gateway 7.x/8.x default `access.log`, written by the "Access Log" log handler rule
/// (Web Gateway Product Guide, "Log handler rule sets") with the header
/// `#time_stamp "auth_user" src_ip status_code "req_line" "categories" "rep_level" "media_type" bytes_to_client
/// ["bytes_from_client"] "user_agent" "virus_name" "block_res" ["application_name"]`:
///
/// `[14/Oct/2018:23:59:42 -0300] "alice" 10.0.0.5 200 "GET https://host/ HTTP/1.1" "Category" "Minimal Risk" ""
/// 492 "Mozilla/5.0 …" "" "0"`
///
/// The variant that adds `bytes_from_client` after `bytes_to_client`, and a trailing application name, are read
/// too. A `block_res` of `0` is allowed; any other block reason code is blocked. The same line forwarded by the
/// appliance's syslog (`<30>Oct 14 23:59:42 mwg mwg: [14/Oct/2018:…] …`) is accepted. `0:0:0:0:0:0:0:0` as client
/// address means none.
package struct McAfeeWebGatewayParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "mcafee.webgateway",
        product: "McAfee / Skyhigh Web Gateway",
        summary: "MWG/Skyhigh SWG default access.log: [time] \"user\" client status \"request line\" \"categories\" "
            + "\"reputation\" \"media type\" bytes to client [bytes from client] \"user agent\" \"virus\" "
            + "\"block reason\" [\"application\"], as a file or over syslog. From the Web Gateway product guide "
            + "(Access Log rule set, access log header).",
        sample: "[02/Jan/2024:03:04:05 +0000] \"alice\" 10.0.0.5 200 \"GET https://www.dropbox.com/home HTTP/1.1\" "
            + "\"Online Shopping, Media Sharing\" \"Minimal Risk\" \"text/html\" 14890 \"Mozilla/5.0\" \"\" \"0\" "
            + "\"Dropbox\"",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "http.method", "http.status", "net.bytes_up", "net.bytes_down", "event.action", "http.user_agent",
        ]
    )

    private var fields = FieldSplitter()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        var text = line.trimmed
        guard !text.isEmpty else { return .rejected(.emptyLine) }
        if text[0] == UInt8(ascii: "#") { return .ignored(.header) }
        if text[0] != UInt8(ascii: "[") {
            // Syslog: an envelope and a tag such as "mwg:" before the access log line.
            guard let open = text.index(of: " ["), open > 0 else { return .rejected(.notThisFormat) }
            let header = SyslogHeader.parse(text.sub(0..<open), defaultYear: context.defaultYear)
            guard header.time != nil || header.messageStart > 0 else { return .rejected(.notThisFormat) }
            text = text.dropFirst(open + 1)
        }
        guard fields.splitWhitespace(text) else { return .rejected(.unbalancedQuotes) }
        guard fields.count >= 12 else { return .rejected(.truncated) }
        // With bytes_from_client, field 9 is an unquoted number.
        let hasBytesFromClient = !isQuoted(9, text) && fields.field(9, in: text).isAllDigits
        let offset = hasBytesFromClient ? 1 : 0
        guard fields.count >= 12 + offset else { return .rejected(.truncated) }

        guard let time = TimeParsing.clf(fields.field(0, in: text)) else { return .rejected(.badTimestamp) }
        record.time = time
        record.apply(user: fields.field(1, in: text))
        let client = fields.field(2, in: text)
        if !client.isPlaceholder {
            guard let ip = client.ipAddress else { return .rejected(.badAddress) }
            if ip.bits != 0 { record.sourceIP = ip }
        }
        let status = fields.field(3, in: text)
        if !status.isPlaceholder {
            guard status.isAllDigits else { return .rejected(.badNumber) }
            record.status = status.httpStatus
        }
        // "METHOD target HTTP/1.1"
        let request = fields.field(4, in: text).trimmed
        if let space = request.index(of: 32) {
            record.apply(method: request.sub(0..<space))
            let target = request.dropFirst(space + 1).trimmed
            let end = target.index(of: 32) ?? target.count
            record.apply(url: target.sub(0..<end), context: context)
        } else {
            record.apply(url: request, context: context)
        }
        let down = fields.field(8, in: text)
        if !down.isPlaceholder {
            guard let v = down.decimal else { return .rejected(.badNumber) }
            record.bytesDown = v
        }
        if hasBytesFromClient { record.bytesUp = fields.field(9, in: text).decimal }
        record.apply(userAgent: fields.field(9 + offset, in: text), context: context)
        let blockReason = fields.field(11 + offset, in: text).trimmed
        if blockReason.equals("0") {
            record.action = .allowed
        } else if blockReason.isAllDigits {
            record.action = .blocked
        } else if !blockReason.isPlaceholder {
            return .rejected(.badNumber)
        }
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return .record
    }

    /// Whether field `index` was written in double quotes.
    private func isQuoted(_ index: Int, _ text: Bytes) -> Bool {
        guard index < fields.count else { return false }
        let start = fields.range(index).lowerBound
        return start > 0 && text[start - 1] == UInt8(ascii: "\"")
    }
}
