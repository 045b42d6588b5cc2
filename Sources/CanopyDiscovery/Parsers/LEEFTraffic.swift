import CanopyCore

/// The IBM QRadar LEEF predefined attributes mapped onto ``TrafficRecord``: shared by `generic.leef` and every
/// vendor LEEF parser, which check the header and then add their own attributes.
///
/// Attributes (IBM "Log Event Extended Format (LEEF)" guide, predefined event attributes):
/// - time: `devTime`, read with `devTimeFormat` when given (a Java `SimpleDateFormat` pattern) and otherwise by
///   its shape (epoch seconds or milliseconds, `MMM dd yyyy HH:mm:ss[.SSS] [zone]`, ISO 8601); without it, the
///   syslog envelope's time.
/// - `src`, `dst`, `dstPort`, `usrName`, `url`.
/// - bytes: `srcBytes` are the bytes the source (the client) sent (``TrafficRecord/bytesUp``), `dstBytes` the
///   bytes the destination sent back (``TrafficRecord/bytesDown``); `totalBytes`, which some senders add, is the
///   total.
/// - action: `action` or `act` when present, through ``CEFTraffic/action(_:)``. LEEF has no predefined action
///   attribute; vendor parsers read theirs (`cat` for Zscaler, the event id for Forcepoint).
///
/// `srcPort`, `proto`, `sev`, `cat`, the NAT and MAC attributes have no record field. An event that names none of
/// the connection attributes is not traffic.
enum LEEFTraffic {
    private static let trafficKeys: [StaticString] = [
        "src", "dst", "dstPort", "url", "srcBytes", "dstBytes", "totalBytes",
    ]

    /// Whether the attributes name a connection or request at all.
    static func carriesTraffic(_ leef: LEEFMessage) -> Bool {
        trafficKeys.contains { leef.value(for: $0) != nil }
    }

    /// Whether header field `index` (1 vendor, 2 product, 4 event id) equals `literal`, ignoring case.
    static func header(_ leef: LEEFMessage, _ index: Int, is literal: StaticString) -> Bool {
        leef.headerField(index).trimmed.equalsCaseInsensitive(literal)
    }

    /// Fills the record from the predefined attributes.
    ///
    /// - Returns: the rejection reason when a present value is malformed, else nil.
    static func fill(
        _ r: inout TrafficRecord,
        from leef: LEEFMessage,
        line: Bytes,
        context: ParseContext
    )
        -> ReasonCode?
    {
        if let raw = leef.value(for: "devTime"), !raw.trimmed.isPlaceholder {
            guard
                let t = SIEMTimestamp.parse(
                    raw,
                    format: leef.value(for: "devTimeFormat"),
                    defaultYear: context.defaultYear
                )
            else { return .badTimestamp }
            r.time = t
        } else if let start = line.index(of: "LEEF:"), start > 0 {
            r.time = SyslogHeader.parse(line.sub(0..<start), defaultYear: context.defaultYear).time
        }
        guard SIEMValue.setSource(leef.value(for: "src"), in: &r),
            SIEMValue.setDestinationAddress(leef.value(for: "dst"), in: &r)
        else { return .badAddress }
        guard SIEMValue.setDestinationPort(leef.value(for: "dstPort"), in: &r),
            SIEMValue.setBytes(\.bytesUp, leef.value(for: "srcBytes"), in: &r),
            SIEMValue.setBytes(\.bytesDown, leef.value(for: "dstBytes"), in: &r),
            SIEMValue.setBytes(\.bytesTotal, leef.value(for: "totalBytes"), in: &r)
        else { return .badNumber }
        SIEMValue.withText(leef, "url") { r.apply(url: $0, context: context) }
        SIEMValue.withText(leef, "usrName") { r.apply(user: $0) }
        if let act = leef.value(for: "action") ?? leef.value(for: "act") { r.action = CEFTraffic.action(act) }
        return nil
    }
}
