import CanopyCore

/// The IBM QRadar LEEF predefined attributes mapped onto ``TrafficRecord``: shared by `generic.leef` and every
/// vendor LEEF parser, which conform to ``LEEFTrafficParser``: they check the header and add their own attributes.
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

/// A parser that reads LEEF through ``LEEFTraffic``: it names its vendor's header and adds the vendor's own
/// attributes; the default ``parse(_:context:)`` parses the message, checks the vendor, skips events that are not
/// traffic, fills the predefined attributes, then the vendor's, and requires a destination.
protocol LEEFTrafficParser: BuiltinLogParser {
    /// The message, reused from line to line.
    var leef: LEEFMessage { get set }
    /// Whether the header names this parser's vendor and product; false rejects the line as another format.
    static func isVendor(_ leef: LEEFMessage) -> Bool
    /// Whether the event is a connection or request; false counts it as not traffic. By default, whether it
    /// names any connection attribute (``LEEFTraffic/carriesTraffic(_:)``).
    static func isTraffic(_ leef: LEEFMessage) -> Bool
    /// Adds the vendor's own attributes, after ``LEEFTraffic/fill(_:from:line:context:)``. By default, nothing.
    ///
    /// - Returns: the rejection reason when a present value is malformed, else nil.
    static func fillVendorFields(_ r: inout TrafficRecord, from leef: LEEFMessage, context: ParseContext) -> ReasonCode?
}

extension LEEFTrafficParser {
    static func isTraffic(_ leef: LEEFMessage) -> Bool { LEEFTraffic.carriesTraffic(leef) }

    static func fillVendorFields(_ r: inout TrafficRecord, from leef: LEEFMessage, context: ParseContext) -> ReasonCode?
    {
        nil
    }

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        guard leef.parse(line) else {
            return .rejected(line.index(of: "LEEF:") == nil ? .notThisFormat : .truncated)
        }
        guard Self.isVendor(leef) else { return .rejected(.notThisFormat) }
        guard Self.isTraffic(leef) else { return .ignored(.notTraffic) }
        if let reason = LEEFTraffic.fill(&record, from: leef, line: line, context: context) { return .rejected(reason) }
        if let reason = Self.fillVendorFields(&record, from: leef, context: context) { return .rejected(reason) }
        return CEFTraffic.outcome(record)
    }
}
