package import CanopyCore

/// Barracuda Web Security Gateway (formerly Web Filter) web traffic log, as sent over syslog by the `http_scan`
/// process ("Syslog and the Barracuda Web Security Gateway", Barracuda Campus; "Understanding Syslog Messages for
/// the Barracuda Web Filter").
///
/// Space-separated values after an optional syslog envelope and the `http_scan[pid]:` tag. Section 1 (basic) and
/// 2 (transparent proxy): epoch time, a `1`, client IP, destination IP, content type, client IP again, URL, content
/// size, the constant `BYF`, action (`ALLOWED`, `BLOCKED`, `DETECTED`), reason (`CLEAN`, `VIRUS`, `SPYWARE`), and for
/// a detected threat its details ending in `FOUND`. Section 3 (policy engine): format version, match flag,
/// time-qualified flag, action type, source type, source detail, destination type, destination detail, spyware type,
/// spyware id, infection score, matched part, matched category, `[user]`, referer URL, referer domain, referer
/// category, WSA remote-user type. `ALLOWED` is allowed, `BLOCKED` blocked; `DETECTED` sets no action. The content
/// size is bytes down. Messages of other processes (the web interface syslog) are ignored as not traffic.
///
/// Barracuda publishes no W3C (`#Fields:`) variant of this log, so this parser reads the syslog format above.
package struct BarracudaWebFilterParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "barracuda.webfilter",
        product: "Barracuda Web Security Gateway / Web Filter",
        summary: "Barracuda Web Security Gateway web traffic syslog (http_scan; Barracuda Campus \"Syslog and the "
            + "Barracuda Web Security Gateway\"): epoch time, client IP, destination IP, content type, URL, size, "
            + "BYF ALLOWED/BLOCKED/DETECTED, reason, policy-engine fields and [user]. Barracuda documents no W3C "
            + "variant of this log.",
        sample: "Sep 19 17:07:07 bwsg01 http_scan[3365]: 1158710827 1 10.1.2.3 162.125.1.18 text/html 10.1.2.3 "
            + "http://www.dropbox.com/ 2704 BYF ALLOWED CLEAN 2 1 0 0 3 (-) 0 - 0 - 0 www.dropbox.com "
            + "storage [alice] - - - 0",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "net.bytes_down", "event.action",
        ]
    )

    private var fields = FieldSplitter()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        let header = SyslogHeader.parse(line, defaultYear: context.defaultYear)
        var message = line.dropFirst(min(max(header.messageStart, 0), line.count))
        var tagEnd = 0
        while tagEnd < message.count, message[tagEnd] != 32 { tagEnd += 1 }
        if tagEnd > 0, message[tagEnd - 1] == UInt8(ascii: ":") {
            let tag = message.sub(0..<tagEnd)
            guard tag.hasPrefix("http_scan") || tag.hasPrefix("httpscan") else {
                return header.time != nil ? .ignored(.notTraffic) : .rejected(.notThisFormat)
            }
            message = message.dropFirst(tagEnd)
        }
        return parseMessage(message, context: context).deliver(into: &record)
    }

    private mutating func parseMessage(_ line: Bytes, context: ParseContext) -> ParseResult {
        guard fields.splitWhitespace(line, quoted: true) else { return .rejected(.unbalancedQuotes) }
        guard fields.count >= 11 else {
            return .rejected(fields.count <= 1 || !fields.field(0, in: line).isAllDigits ? .notThisFormat : .truncated)
        }
        guard fields.field(8, in: line).equals("BYF") else { return .rejected(.notThisFormat) }
        guard let time = TimeParsing.epoch(fields.field(0, in: line)) else { return .rejected(.badTimestamp) }
        var record = TrafficRecord()
        record.time = time
        guard let client = fields.field(2, in: line).ipAddress else { return .rejected(.badAddress) }
        record.sourceIP = client
        var destination = fields.field(3, in: line)
        // Some releases add the original address in parentheses: `11.22.33.44(55.66.77.88)`.
        if let paren = destination.index(of: UInt8(ascii: "(")) { destination = destination.sub(0..<paren) }
        if !destination.isPlaceholder {
            guard let ip = destination.ipAddress else { return .rejected(.badAddress) }
            record.destinationIP = ip
        }
        record.apply(url: fields.field(6, in: line), context: context)
        let size = fields.field(7, in: line)
        if !size.isPlaceholder {
            guard let bytes = size.decimal else { return .rejected(.badNumber) }
            record.bytesDown = bytes
        }
        record.action = ActionWords.classify(fields.field(9, in: line))
        if let user = userInfo(line) { record.apply(user: user) }
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return .record(record)
    }

    /// The `[user]` of section 3, which starts after the reason and, for a threat, its details up to `FOUND`.
    private func userInfo(_ line: Bytes) -> Bytes? {
        var policy = 11
        if policy < fields.count, !fields.field(policy, in: line).isAllDigits {
            var i = policy
            while i < fields.count, !fields.field(i, in: line).equals("FOUND") { i += 1 }
            policy = i + 1
        }
        let index = policy + 13
        guard index < fields.count else { return nil }
        let start = fields.range(index).lowerBound
        guard start > 0, line[start - 1] == UInt8(ascii: "[") else { return nil }
        return fields.field(index, in: line)
    }
}
