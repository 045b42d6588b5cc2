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

    package init() {}

    package func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        // Fixed layout read in order: a cursor, no field table.
        var cursor = FieldCursor(line)
        guard let timeField = cursor.next() else { return .rejected(.emptyLine) }
        guard let _ = cursor.next(), let clientField = cursor.next(), let resultField = cursor.next(),
            let bytesField = cursor.next(), let methodField = cursor.next(), let urlField = cursor.next()
        else { return .rejected(.truncated) }
        guard let time = TimeParsing.epoch(timeField) else {
            return .rejected(timeField.isAllDigits ? .badTimestamp : .notThisFormat)
        }
        record.time = time
        guard let client = clientField.ipAddress else { return .rejected(.badAddress) }
        record.sourceIP = client
        guard let (code, status) = Self.result(resultField) else { return .rejected(.notThisFormat) }
        record.status = status.httpStatus
        record.action = code.index(of: "DENIED") != nil ? .blocked : .allowed
        guard let bytes = bytesField.decimal else { return .rejected(.badNumber) }
        record.bytesDown = bytes
        record.apply(method: methodField)
        record.apply(url: urlField, context: context)
        if let user = cursor.next() { record.apply(percentEncodedUser: user) }
        if let hier = cursor.next() {
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
