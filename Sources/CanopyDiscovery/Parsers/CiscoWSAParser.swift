package import CanopyCore

/// Cisco Secure Web Appliance (IronPort WSA) access log, the Squid-derived default format of the AsyncOS for Cisco
/// Web Security Appliances user guide ("Web Proxy Information in Access Log Files"):
/// `%t %e %a %w/%h %s %2r %A %H/%d %c %D %Xr …` — time, elapsed ms, client, result/status, response size, method,
/// URL, authenticated user, hierarchy/server, MIME type, ACL decision tag, `<…>` scanning verdicts, then optional
/// fields (suspect User-Agent, custom fields) that are not read.
///
/// The ACL decision tag decides the action (`BLOCK_*`, `DROP_*`, `NO_PASSWORD`, `NO_AUTHORIZATION` are blocked).
/// Log files open with `Info: Begin Logfile` / `Info: Version` lines, which are headers; lines may also arrive with
/// a syslog envelope. `TCP_CONNECT` (the transparent HTTPS pseudo-method) is reported as `CONNECT`.
package struct CiscoWSAParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "cisco.wsa",
        product: "Cisco Secure Web Appliance (IronPort WSA)",
        summary: "WSA/SWA access log (Squid-based, with ACL decision tag and <...> scanning verdicts): time, elapsed, "
            + "client, result/status, bytes, method, URL, user, hierarchy/server, type, ACL decision. BLOCK_* "
            + "decisions count as blocked. From the AsyncOS for Cisco Web Security Appliances user guide (access "
            + "log file fields, ACL decision tags).",
        sample: "1700000000.123 97 10.0.0.5 TCP_MISS/200 8187 GET https://www.dropbox.com/home \"CORP\\alice\" "
            + "DIRECT/www.dropbox.com text/html DEFAULT_CASE_11-DefaultGroup-DefaultGroup-NONE-NONE-NONE-DefaultGroup "
            + "<IW_stor,6.9,-,\"-\",-,-,-,-,\"-\",-,-,-,\"-\",-,-,\"-\",\"-\",-,-,IW_stor,-,\"-\",\"-\",\"Dropbox\","
            + "\"File Sharing\",\"-\",\"-\",198.34,0,-,[Local],\"-\"> -",
        fields: SquidNativeParser.descriptor.fields
    )

    private var fields = FieldSplitter()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        var text = line.trimmed
        guard !text.isEmpty else { return .rejected(.emptyLine) }
        if Self.isLogfileHeader(text) { return .ignored(.header) }
        if text[0] < 48 || text[0] > 57 {
            // A syslog envelope, maybe with a tag ("accesslogs:"), before the access log line.
            let header = SyslogHeader.parse(text, defaultYear: context.defaultYear)
            guard header.messageStart > 0 else { return .rejected(.notThisFormat) }
            text = text.dropFirst(header.messageStart)
            if let space = text.index(of: 32), space > 0, text[space - 1] == UInt8(ascii: ":"),
                !text.sub(0..<space).isAllDigits
            {
                text = text.dropFirst(space + 1).trimmed
            }
            if Self.isLogfileHeader(text) { return .ignored(.header) }
        }
        // The verdict block "<…>" follows the ACL decision tag; fields before it split on spaces.
        guard let open = text.index(of: " <") else {
            fields.splitWhitespace(text)
            return .rejected(fields.count < 11 ? .truncated : .notThisFormat)
        }
        guard Self.verdictBlockEnd(text, from: open + 2) != nil else { return .rejected(.unbalancedQuotes) }
        let head = text.sub(0..<open)
        guard fields.splitWhitespace(head) else { return .rejected(.unbalancedQuotes) }
        guard fields.count == 11 else { return .rejected(fields.count < 11 ? .truncated : .notThisFormat) }
        let tag = fields.field(10, in: head)
        guard Self.isDecisionTag(tag) else { return .rejected(.notThisFormat) }

        let timeField = fields.field(0, in: head)
        guard let time = TimeParsing.epoch(timeField) else {
            return .rejected(
                timeField.isAllDigits || timeField.index(of: UInt8(ascii: ".")) != nil
                    ? .badTimestamp : .notThisFormat
            )
        }
        record.time = time
        guard let client = fields.field(2, in: head).ipAddress else { return .rejected(.badAddress) }
        record.sourceIP = client
        guard let (code, status) = SquidNativeParser.result(fields.field(3, in: head)) else {
            return .rejected(.notThisFormat)
        }
        guard status.isAllDigits else { return .rejected(.badNumber) }
        record.status = status.httpStatus
        guard let size = fields.field(4, in: head).decimal else { return .rejected(.badNumber) }
        record.bytesDown = size
        let method = fields.field(5, in: head)
        if method.equals("TCP_CONNECT") {
            record.method = "CONNECT"
        } else {
            record.apply(method: method)
        }
        record.apply(url: fields.field(6, in: head), context: context)
        // Raw bytes: a quoted user keeps the backslash of DOMAIN\user.
        record.apply(user: fields.field(7, in: head))
        // "DIRECT/server": the origin server the appliance fetched from (a parent proxy is not the destination).
        let hierarchy = fields.field(8, in: head)
        if hierarchy.hasPrefix("DIRECT/") {
            let server = hierarchy.dropFirst(7)
            if let ip = server.ipAddress {
                if record.destinationIP == nil { record.destinationIP = ip }
            } else if record.destinationHost == nil, !server.isPlaceholder {
                record.apply(host: server)
            }
        }
        record.action = Self.action(tag: tag, resultCode: code)
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return .record
    }

    /// Blocked for `BLOCK_*`, `DROP_*`, `NO_PASSWORD` and `NO_AUTHORIZATION`; nothing for `OTHER` (an error);
    /// allowed otherwise, unless the result code says `DENIED`.
    private static func action(tag: Bytes, resultCode: Bytes) -> TrafficAction? {
        if tag.hasPrefix("BLOCK_") || tag.hasPrefix("DROP_") || tag.hasPrefix("NO_PASSWORD")
            || tag.hasPrefix("NO_AUTHORIZATION")
        {
            return .blocked
        }
        if resultCode.index(of: "DENIED") != nil { return .blocked }
        if tag.hasPrefix("OTHER") { return nil }
        return .allowed
    }

    /// An ACL decision tag: upper-case letters, digits and `_` up to the first `-` (`DEFAULT_CASE_11-…`).
    private static func isDecisionTag(_ tag: Bytes) -> Bool {
        guard let first = tag.first, first >= 65, first <= 90 else { return false }
        for b in tag {
            if b == UInt8(ascii: "-") { return true }
            guard (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 95 else { return false }
        }
        return true
    }

    /// Where the `<…>` block that starts at `start` closes, skipping `>` inside quoted values.
    private static func verdictBlockEnd(_ text: Bytes, from start: Int) -> Int? {
        var quoted = false
        var i = start
        while i < text.count {
            let b = text[i]
            if b == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if b == UInt8(ascii: ">"), !quoted {
                return i
            }
            i += 1
        }
        return nil
    }

    /// `Wed May  4 00:24:31 2005 Info: Begin Logfile` and the other lines AsyncOS writes around a log file.
    private static func isLogfileHeader(_ text: Bytes) -> Bool {
        guard text.count > 30, TimeParsing.ctime(text.sub(0..<24)) != nil, text[24] == 32 else { return false }
        let rest = text.dropFirst(25)
        return rest.hasPrefix("Info:") || rest.hasPrefix("Warning:") || rest.hasPrefix("Critical:")
    }
}
