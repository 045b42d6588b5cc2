package import CanopyCore

/// Squid's native `access.log` format (`logformat squid`).
///
/// `%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt` — time, elapsed ms, client address,
/// result code/status, bytes sent to the client, method, URL, user, hierarchy/peer, content type
/// (squid-cache.org, "Squid native access.log format in detail").
package struct SquidNativeParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "squid.native",
        product: "Squid",
        summary: "Squid native access.log: time, elapsed, client, result/status, bytes, method, URL, user, "
            + "hierarchy/peer, type. TCP_DENIED and similar results count as blocked.",
        sample: "1700000000.123    245 10.0.0.5 TCP_MISS/200 5120 GET https://www.dropbox.com/home alice "
            + "HIER_DIRECT/162.125.1.18 text/html",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "http.method", "http.status", "net.bytes_down", "event.action",
        ]
    )

    private var fields = FieldSplitter()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        fields.splitWhitespace(line, quoted: false)
        guard fields.count >= 7 else { return .rejected(fields.count == 0 ? .emptyLine : .truncated) }
        guard let time = TimeParsing.epoch(fields.field(0, in: line)) else {
            return .rejected(fields.field(0, in: line).isAllDigits ? .badTimestamp : .notThisFormat)
        }
        record.time = time
        guard let client = fields.field(2, in: line).ipAddress else { return .rejected(.badAddress) }
        record.sourceIP = client
        guard let (code, status) = Self.result(fields.field(3, in: line)) else { return .rejected(.notThisFormat) }
        record.status = status.httpStatus
        record.action = code.index(of: "DENIED") != nil ? .blocked : .allowed
        guard let bytes = fields.field(4, in: line).decimal else { return .rejected(.badNumber) }
        record.bytesDown = bytes
        record.apply(method: fields.field(5, in: line))
        record.apply(url: fields.field(6, in: line), context: context)
        if fields.count > 7 { record.apply(percentEncodedUser: fields.field(7, in: line)) }
        if fields.count > 8 {
            let hier = fields.field(8, in: line)
            // Only a direct fetch names the origin server; a parent or sibling is another proxy.
            if hier.hasPrefix("HIER_DIRECT/") || hier.hasPrefix("DIRECT/"), let s = hier.index(of: UInt8(ascii: "/")),
                record.destinationIP == nil
            {
                record.destinationIP = hier.dropFirst(s + 1).ipAddress
            }
        }
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return .record
    }

    /// Squid's `%Ss/%03>Hs` field (`TCP_MISS/200`), also in Cisco WSA's access log: the result code and the
    /// status, split at the slash; nil without one.
    static func result(_ field: Bytes) -> (code: Bytes, status: Bytes)? {
        guard let slash = field.index(of: UInt8(ascii: "/")) else { return nil }
        return (field.sub(0..<slash), field.dropFirst(slash + 1))
    }
}
