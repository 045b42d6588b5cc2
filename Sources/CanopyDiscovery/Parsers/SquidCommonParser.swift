package import CanopyCore

/// Squid's built-in `common` and `combined` access log formats (squid-cache.org, `logformat` directive):
///
/// - `common`: `%>a %[ui %[un [%tl] "%rm %ru HTTP/%rv" %>Hs %<st %Ss:%Sh`
/// - `combined`: the same with `"%{Referer}>h" "%{User-Agent}>h"` before `%Ss:%Sh`.
///
/// Client address, ident, user (percent-encoded), local time with zone, request line (Squid always logs the
/// absolute URL, or `host:port` for CONNECT), status, bytes sent to the client, and the Squid result and hierarchy
/// codes. A result code naming a denial (`TCP_DENIED`, `TCP_DENIED_REPLY` …) is blocked, any other allowed. See
/// ``CommonLogFormat`` for the shared fields.
package struct SquidCommonParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "squid.common",
        product: "Squid",
        summary: "Squid access.log in the built-in common and combined formats (squid-cache.org logformat: "
            + "%>a %[ui %[un [%tl] \"%rm %ru HTTP/%rv\" %>Hs %<st [\"referer\" \"user-agent\"] %Ss:%Sh). "
            + "TCP_DENIED and other denial result codes count as blocked.",
        sample: "10.0.0.5 - alice [14/Nov/2023:22:13:20 +0000] \"GET https://www.dropbox.com/home HTTP/1.1\" 200 5120 "
            + "TCP_MISS:HIER_DIRECT",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "http.method", "http.status", "net.bytes_down", "event.action", "http.user_agent",
        ]
    )

    private var fields = FieldSplitter()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        guard fields.splitWhitespace(line, quoted: true) else { return .rejected(.unbalancedQuotes) }
        let hasTime = CommonLogFormat.timeIndex(fields, in: line) == 3
        guard fields.count >= 8 else { return .rejected(hasTime && fields.count >= 5 ? .truncated : .notThisFormat) }
        guard hasTime, fields.count == 8 || fields.count == 10,
            let codes = Self.resultCodes(fields.field(fields.count - 1, in: line))
        else { return .rejected(.notThisFormat) }
        let outcome = CommonLogFormat.record(
            fields,
            in: line,
            into: &record,
            first: 0,
            client: .address,
            percentEncodedUser: true,
            context: context
        )
        guard outcome == .record else { return outcome }
        record.action = codes.index(of: "DENIED") != nil ? .blocked : .allowed
        // Quoted-string encoding: `\"` and `\\` are escapes.
        if fields.count == 10, context.capturesDetail { record.userAgent = fields.string(8, in: line) }
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return .record
    }

    /// The result code of a `%Ss:%Sh` field (`TCP_MISS:HIER_DIRECT`), or nil if the field is not one.
    private static func resultCodes(_ b: Bytes) -> Bytes? {
        guard let colon = b.index(of: UInt8(ascii: ":")), colon >= 3, colon + 1 < b.count else { return nil }
        for (i, c) in b.enumerated() where i != colon {
            guard (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 95 else { return nil }
        }
        return b.sub(0..<colon)
    }
}
