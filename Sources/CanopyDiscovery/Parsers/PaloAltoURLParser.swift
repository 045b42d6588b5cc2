package import CanopyCore

/// PAN-OS URL Filtering logs: THREAT logs of subtype `url`, in the syslog CSV format.
///
/// Columns per the PAN-OS 10.x/11.x "Syslog Field Descriptions — Threat Log Fields": the shared leading columns
/// (see ``PANOSLog``), Action (30), URL/Filename (31, `host/path` as logged), User Agent (46) and HTTP Method (63).
/// THREAT logs of other subtypes (virus, spyware, vulnerability …) are ignored as not traffic.
package struct PaloAltoURLParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "paloalto.url",
        product: "Palo Alto Networks PAN-OS",
        summary: "PAN-OS URL Filtering log (THREAT, subtype url) CSV, syslog or file: addresses, user, URL, "
            + "action, user agent, method. Column order from the PAN-OS 10/11 \"Syslog Field Descriptions — "
            + "Threat Log Fields\". alert, allow, continue and override count as allowed; block-*, deny, drop and "
            + "reset-* as blocked.",
        sample: "Jan  2 03:04:05 PA-VM 1,2024/01/02 03:04:05,013201001234,THREAT,url,2561,2024/01/02 03:04:05,"
            + "10.0.0.5,162.125.1.18,203.0.113.7,162.125.1.18,allow-web,corp\\alice,,dropbox-base,vsys1,trust,"
            + "untrust,ethernet1/2,ethernet1/1,fwd,2024/01/02 03:04:05,33146,1,51002,443,40113,443,0x40b000,tcp,"
            + "alert,\"www.dropbox.com/home\",(9999),online-storage-and-backup,informational,client-to-server,"
            + "7726,0x8000000000000000,10.0.0.0-10.255.255.255,United States,,text/html",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "http.method", "event.action", "http.user_agent",
        ]
    )

    private enum Column {
        static let url = 31
        static let userAgent = 46
        static let httpMethod = 63
    }

    private var fields = FieldSplitter()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        let (csv, outcome) = PANOSLog.open(
            line,
            fields: &fields,
            expectedType: "THREAT",
            minimumColumns: Column.url + 1
        )
        if let outcome { return outcome.deliver(into: &record) }
        guard fields.field(PANOSLog.Column.subtype, in: csv).equals("url") else { return .ignored(.notTraffic) }
        if let reason = PANOSLog.readCommon(csv, fields: fields, into: &record) { return .rejected(reason) }
        record.action = Self.action(fields.field(PANOSLog.Column.action, in: csv))
        let url = fields.field(Column.url, in: csv)
        // `-/` is what PAN-OS writes when it saw no host name: the destination is only the address.
        if !url.hasPrefix("-/") { record.apply(url: url, context: context) }
        if fields.count > Column.userAgent {
            record.apply(userAgent: fields.field(Column.userAgent, in: csv), context: context)
        }
        if fields.count > Column.httpMethod {
            let method = fields.field(Column.httpMethod, in: csv)
            // PAN-OS writes the method in lower case (`get`, `post`); reports use the HTTP spelling.
            if !method.isPlaceholder, !method.equalsCaseInsensitive("unknown") {
                record.method = FirewallFields.uppercased(method)
            }
        }
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return .record
    }

    /// URL filtering actions: `alert`, `allow`, `continue`, `override` → allowed; `block-url`, `block-continue`,
    /// `block-override`, `override-lockout`, `deny`, `drop`, `reset-*` → blocked.
    static func action(_ word: Bytes) -> TrafficAction? {
        if word.hasPrefix("block") || word.hasPrefix("override-lockout") || word.hasPrefix("deny")
            || word.hasPrefix("drop") || word.hasPrefix("reset") || word.hasPrefix("sinkhole")
        {
            return .blocked
        }
        if word.hasPrefix("alert") || word.hasPrefix("allow") || word.hasPrefix("continue")
            || word.hasPrefix("override")
        {
            return .allowed
        }
        return nil
    }
}
