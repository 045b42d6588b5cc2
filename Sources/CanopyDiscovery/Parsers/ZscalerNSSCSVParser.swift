package import CanopyCore

/// Zscaler Internet Access NSS web log feed, output type "CSV" with the default feed output format.
///
/// The default CSV web format quotes every field and puts them in this order (Zscaler "NSS Feed Output Format:
/// Web Logs", whose sample log is exactly this layout): `time`, `login`, `proto`, `eurl`, `action`, `appname`,
/// `appclass`, `reqsize`, `respsize`, two transaction timings, `urlclass`, `urlsupercat`, `urlcat`, `malwarecat`,
/// `threatname`, `riskscore`, `dlpeng`, `dlpdict`, `location`, `dept`, `cip`, `sip`, `reqmethod`, `respcode`, `ua`,
/// `ereferer`, `ruletype`, `rulelabel`, `contenttype`, `unscannabletype`, `deviceowner`, `devicehostname` and,
/// in newer releases, `keyprotectiontype`. `time` is `ctime`-style without a zone in the feed's configured time
/// zone (GMT by default), read as UTC. `eurl` carries no scheme, so no port is derived from it.
package struct ZscalerNSSCSVParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "zscaler.nss_csv",
        product: "Zscaler Internet Access (NSS web feed, CSV)",
        summary: "Zscaler NSS web log feed in the default \"CSV\" output format of Zscaler's \"NSS Feed Output "
            + "Format: Web Logs\": quoted time, login, proto, eurl, action, app name and class, request and response "
            + "sizes, URL classes and categories, threat fields, location, department, client and server IP, "
            + "method, status, user agent, referer, rule, content type, device owner and host name. Allowed and "
            + "Blocked map to the action; the time is in the feed's time zone (GMT by default), read as UTC.",
        sample: "\"Mon Jun 20 15:29:11 2022\",\"jdoe@safemarch.com\",\"HTTPS\",\"www.dropbox.com/home\",\"Allowed\","
            + "\"Dropbox\",\"Online Storage\",\"1024\",\"50231\",\"0\",\"0\",\"Business Use\","
            + "\"Information Technology\",\"Online Storage\",\"None\",\"None\",\"0\",\"None\",\"None\",\"HQ\",\"Sales\",\"10.1.1.10\","
            + "\"162.125.1.18\",\"GET\",\"200\",\"Mozilla/5.0\",\"None\",\"None\",\"None\",\"text/html\",\"None\","
            + "\"jdoe\",\"LAPTOP-JDOE\",\"N/A\"",
        fields: [
            "time", "net.src_ip", "user.name", "device.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "http.method", "http.status", "net.bytes_up", "net.bytes_down", "event.action", "http.user_agent",
        ]
    )

    /// Column positions of the default format.
    private enum Column {
        static let time = 0
        static let login = 1
        static let url = 3
        static let action = 4
        static let requestSize = 7
        static let responseSize = 8
        static let clientIP = 21
        static let serverIP = 22
        static let method = 23
        static let status = 24
        static let userAgent = 25
        static let deviceHostName = 32
        /// Through `ua`: fewer columns is a truncated line.
        static let required = 26
    }

    private var fields = FieldSplitter()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        let closed = fields.split(line, separator: UInt8(ascii: ","), quote: UInt8(ascii: "\""))
        let first = fields.field(Column.time, in: line).trimmed
        guard line.count > 0, line[0] == UInt8(ascii: "\"") else { return .rejected(.notThisFormat) }
        guard closed else { return .rejected(.unbalancedQuotes) }
        guard fields.count >= Column.required else {
            return .rejected(fields.count >= 4 ? .truncated : .notThisFormat)
        }
        guard let time = TimeParsing.ctime(first) else {
            if first.equalsCaseInsensitive("time") || first.equalsCaseInsensitive("datetime") {
                return .ignored(.header)
            }
            // `%s{time}` opens with the day of the week; other first columns are another CSV format.
            let startsWithLetter = first.count > 0 && (first[0] | 0x20) >= 97 && (first[0] | 0x20) <= 122
            return .rejected(startsWithLetter ? .badTimestamp : .notThisFormat)
        }
        record.time = time
        guard SIEMValue.setSource(fields.field(Column.clientIP, in: line), in: &record),
            SIEMValue.setDestinationAddress(fields.field(Column.serverIP, in: line), in: &record)
        else { return .rejected(.badAddress) }
        guard SIEMValue.setBytes(\.bytesUp, fields.field(Column.requestSize, in: line), in: &record),
            SIEMValue.setBytes(\.bytesDown, fields.field(Column.responseSize, in: line), in: &record)
        else { return .rejected(.badNumber) }
        record.apply(user: fields.field(Column.login, in: line))
        record.apply(url: fields.field(Column.url, in: line).trimmed, context: context)
        record.action = ActionWords.classify(fields.field(Column.action, in: line))
        record.apply(method: fields.field(Column.method, in: line).trimmed)
        SIEMValue.setStatus(fields.field(Column.status, in: line), in: &record)
        record.apply(userAgent: fields.field(Column.userAgent, in: line), context: context)
        if fields.count > Column.deviceHostName {
            SIEMValue.setDevice(fields.field(Column.deviceHostName, in: line), in: &record)
        }
        return CEFTraffic.outcome(record)
    }
}
