package import CanopyCore

/// Access logs in the NCSA combined and common formats, as Apache httpd (`LogFormat "%h %l %u %t \"%r\" %>s %b
/// \"%{Referer}i\" \"%{User-Agent}i\"" combined`) and nginx (`log_format combined`) write them, with or without the
/// virtual host first (Apache `vhost_combined`: `%v:%p %h %l %u %t …`).
///
/// The destination is the request's absolute URL or CONNECT authority (the server acting as a forward proxy), else
/// the logged virtual host (`host` or `host:port`); a request for a path on an unnamed server has no destination
/// and is rejected. The client may be a host name (`HostnameLookups On`), kept as the device. The size (`%b`, `%O`,
/// `$body_bytes_sent`) is bytes down; these formats log no bytes up and no allow/block decision. See
/// ``CommonLogFormat`` for the shared fields.
package struct ApacheCombinedParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "apache.combined",
        product: "Apache httpd / nginx",
        summary: "NCSA combined and common log formats as written by Apache httpd (LogFormat combined, "
            + "vhost_combined) and nginx (log_format combined), as a forward proxy (absolute URL or CONNECT "
            + "host:port in the request line) or as a server with the virtual host (%v) first.",
        sample: "10.0.0.5 - alice [14/Nov/2023:22:13:20 +0000] \"GET http://www.dropbox.com/home HTTP/1.1\" 200 5120 "
            + "\"-\" \"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\"",
        fields: [
            "time", "net.src_ip", "user.name", "device.name", "net.dst_host", "net.dst_ip", "net.dst_port",
            "http.url", "http.method", "http.status", "net.bytes_down", "http.user_agent",
        ]
    )

    private var fields = FieldSplitter()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        guard fields.splitWhitespace(line, quoted: true) else { return .rejected(.unbalancedQuotes) }
        guard let timeIndex = CommonLogFormat.timeIndex(fields, in: line) else {
            // A line cut before its time still starts with the client address.
            let cut = fields.count > 1 && fields.count < 4 && fields.field(0, in: line).ipAddress != nil
            return .rejected(cut ? .truncated : .notThisFormat)
        }
        let first = timeIndex - 3
        guard fields.count >= first + 7 else { return .rejected(.truncated) }
        let outcome = CommonLogFormat.record(
            fields,
            in: line,
            into: &record,
            first: first,
            client: .addressOrHostName,
            percentEncodedUser: false,
            context: context
        )
        guard outcome == .record else { return outcome }
        if first == 1, record.destinationHost == nil, record.destinationIP == nil {
            WebAuthority.apply(fields.field(0, in: line), to: &record)
        }
        // Apache and nginx escape `"` and `\` inside the quotes.
        if fields.count > first + 8, context.capturesDetail { record.userAgent = fields.string(first + 8, in: line) }
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return .record
    }
}
