package import CanopyCore

/// Sophos SG / UTM (formerly Astaro Security Gateway) syslog: web proxy (`httpproxy`) and packet filter (`ulogd`)
/// lines.
///
/// Each line is `yyyy:mm:dd-hh:mm:ss host daemon[pid]: id="…" severity="…" sys="…" sub="…" name="…" action="…" …`
/// (device local time, no zone), per the Sophos UTM log file format ("Understanding UTM log files"). Web proxy
/// (`sys="SecureWeb"`): `srcip`, `dstip`, `user`, `method`, `statuscode`, `size` (bytes delivered to the client),
/// `url`, `ua`, `action` pass/block/warn. Packet filter (`sys="SecureNet" sub="packetfilter"`): `srcip`, `dstip`,
/// `proto`, `dstport`, `action` accept/drop/reject. Other daemons and web proxy diagnostics are ignored.
package struct SophosUTMParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "sophos.utm",
        product: "Sophos SG / UTM",
        summary: "Sophos UTM syslog (yyyy:mm:dd-hh:mm:ss host httpproxy[pid]: id=\"0001\" … action=\"pass\" …, and "
            + "ulogd packet filter lines): web requests with URL, user, method, status, size and user agent; "
            + "packet filter accept/drop. block, warn, drop and reject count as blocked.",
        sample: "2024:01:02-03:04:05 utm httpproxy[6267]: id=\"0001\" severity=\"info\" sys=\"SecureWeb\" "
            + "sub=\"http\" name=\"http access\" action=\"pass\" method=\"GET\" srcip=\"10.0.0.5\" "
            + "dstip=\"162.125.1.18\" user=\"alice\" group=\"staff\" ad_domain=\"CORP\" statuscode=\"200\" "
            + "cached=\"0\" profile=\"REF_DefaultHTTPProfile\" filteraction=\"REF_DefaultHTTPCFFAction\" "
            + "size=\"10240\" request=\"0x7fad9e44ac00\" url=\"https://www.dropbox.com/home\" referer=\"\" error=\"\" "
            + "authtime=\"0\" dnstime=\"1\" cattime=\"120\" avscantime=\"0\" fullreqtime=\"30211\" device=\"0\" "
            + "auth=\"2\" ua=\"Mozilla/5.0\" exceptions=\"\" category=\"170\" reputation=\"trusted\" "
            + "categoryname=\"Personal Network Storage\" content-type=\"text/html\"",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "http.method", "http.status", "net.bytes_down", "event.action", "http.user_agent",
        ]
    )

    private var pairs = KeyValueScanner()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        var start = FirewallFields.afterPriority(line)
        var time = Self.utmTime(line.dropFirst(start))
        if time == nil {
            // Relayed through another syslog daemon: its envelope comes first.
            let header = SyslogHeader.parse(line, defaultYear: context.defaultYear)
            if header.messageStart > start {
                start = header.messageStart
                time = Self.utmTime(line.dropFirst(start))
            }
        }
        let closed = pairs.scan(line.dropFirst(start))
        guard let sys = pairs.value(for: "sys"), pairs.indexOf("id") != nil, pairs.indexOf("severity") != nil else {
            // Other UTM daemons (named, dhcpd, pluto …) write free text after the same time stamp.
            return time != nil ? .ignored(.notTraffic) : .rejected(.notThisFormat)
        }
        let isWeb = sys.equals("SecureWeb")
        let isPacketFilter = sys.equals("SecureNet") && pairs.value(for: "sub")?.equals("packetfilter") == true
        guard isWeb || isPacketFilter, pairs.indexOf("action") != nil, pairs.indexOf("srcip") != nil else {
            return .ignored(.notTraffic)
        }
        guard closed else { return .rejected(.unbalancedQuotes) }
        guard let time else { return .rejected(.badTimestamp) }
        record.time = time
        guard let source = pairs.value(for: "srcip")?.ipAddress else { return .rejected(.badAddress) }
        record.sourceIP = source
        if let destination = pairs.value(for: "dstip"), !destination.isPlaceholder {
            guard let ip = destination.ipAddress else { return .rejected(.badAddress) }
            record.destinationIP = ip
        }
        if isWeb {
            if let reason = readWeb(into: &record, context: context) { return .rejected(reason) }
        } else if let port = pairs.value(for: "dstport"), !port.isPlaceholder {
            guard let value = port.port else { return .rejected(.badNumber) }
            let proto = pairs.value(for: "proto")
            if value > 0, proto?.equals("1") != true, proto?.equals("58") != true { record.destinationPort = value }
        }
        record.action = action()
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return .record
    }

    private func readWeb(into record: inout TrafficRecord, context: ParseContext) -> ReasonCode? {
        if let url = pairs.value(for: "url") { record.apply(url: url, context: context) }
        if let user = pairs.value(for: "user") { record.apply(user: user) }
        if let method = pairs.value(for: "method") { record.apply(method: method) }
        if let status = pairs.value(for: "statuscode") { record.status = status.httpStatus }
        if let size = pairs.value(for: "size"), !size.isPlaceholder {
            guard let value = size.decimal else { return .badNumber }
            record.bytesDown = value
        }
        if let agent = pairs.value(for: "ua") { record.apply(userAgent: agent, context: context) }
        return nil
    }

    /// `pass`/`accept` → allowed; `block`, `warn` (a warning page instead of the site), `drop`, `reject` → blocked.
    private func action() -> TrafficAction? {
        guard let word = pairs.value(for: "action") else { return nil }
        if word.equals("pass") || word.equals("accept") { return .allowed }
        if word.equals("block") || word.equals("warn") || word.equals("drop") || word.equals("reject") {
            return .blocked
        }
        return nil
    }

    /// `2024:01:02-03:04:05` at the start of `b`, device local time taken as UTC.
    private static func utmTime(_ b: Bytes) -> Timestamp? {
        guard b.count >= 19, let y = TimeParsing.digits(b, 0, 4), b[4] == UInt8(ascii: ":"),
            let mo = TimeParsing.digits(b, 5, 2), b[7] == UInt8(ascii: ":"), let d = TimeParsing.digits(b, 8, 2),
            b[10] == UInt8(ascii: "-"), let h = TimeParsing.digits(b, 11, 2), b[13] == UInt8(ascii: ":"),
            let mi = TimeParsing.digits(b, 14, 2), b[16] == UInt8(ascii: ":"), let s = TimeParsing.digits(b, 17, 2),
            b.count == 19 || b[19] == 32
        else { return nil }
        return Timestamp(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
    }
}
