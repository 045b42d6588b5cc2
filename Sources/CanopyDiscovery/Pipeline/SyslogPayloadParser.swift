package import CanopyCore

/// Reads a log format that arrives wrapped in syslog: a relay (rsyslog, syslog-ng, `logger`) puts an RFC 3164 or
/// RFC 5424 envelope — `<PRI>`, a time, a host, a tag — in front of lines that a device or a proxy wrote without one.
///
/// Formats that are syslog by nature (Cisco ASA, Juniper SRX, PAN-OS syslog …) read the envelope themselves, so each
/// message is first given whole to the wrapped parser; only when that parser rejects it is the envelope (and an RFC
/// 3164 tag such as `squid[812]:`) taken off and the rest given to the parser again — and, when that is rejected
/// too, the rest from what looked like a host name (an envelope with a time but no host or tag). Ignored lines and
/// records are never parsed again, and a message is counted once either way.
package struct SyslogPayloadParser: LogParser {
    private var inner: any LogParser

    package init(wrapping inner: any LogParser) { self.inner = inner }

    package var descriptor: ParserDescriptor { inner.descriptor }

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        let whole = inner.parse(line, context: context, into: &record)
        guard case .rejected = whole else { return whole }
        let start = Self.payloadStart(of: line, defaultYear: context.defaultYear)
        guard start > 0, start < line.count else { return whole }
        record = TrafficRecord()
        let payload = inner.parse(Bytes(rebasing: line[start...]), context: context, into: &record)
        guard case .rejected = payload else { return payload }
        // An envelope without a host name or tag (`<13>Dec  2 11:00:00 MESSAGE`, not RFC 3164 but seen): what
        // was taken for the host is the message's first word.
        let header = SyslogHeader.parse(line, defaultYear: context.defaultYear)
        guard let host = header.host, let hostStart = host.baseAddress, let lineStart = line.baseAddress else {
            return payload
        }
        let offset = hostStart - lineStart
        guard offset > 0, offset < start else { return payload }
        record = TrafficRecord()
        return inner.parse(Bytes(rebasing: line[offset...]), context: context, into: &record)
    }

    /// Where the message after the syslog envelope and its tag starts; 0 when the line has no envelope.
    package static func payloadStart(of line: Bytes, defaultYear: Int) -> Int {
        let header = SyslogHeader.parse(line, defaultYear: defaultYear)
        var p = header.messageStart
        guard p > 0 else { return 0 }
        let n = line.count
        // An RFC 3164 tag: `name:`, `name[pid]:` — letters, digits and `-_./[]`, then a colon.
        var q = p
        while q < n, Self.isTagByte(line[q]) { q += 1 }
        if q > p, q < n, line[q] == UInt8(ascii: ":"), q + 1 == n || line[q + 1] == 32 {
            p = q + 1
            while p < n, line[p] == 32 { p += 1 }
        }
        return p
    }

    @inline(__always)
    private static func isTagByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "/"), UInt8(ascii: "["), UInt8(ascii: "]"):
            true
        default: false
        }
    }
}
