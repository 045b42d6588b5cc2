import CanopyCore

/// The ArcSight CEF dictionary mapped onto ``TrafficRecord``: shared by `generic.cef` and every vendor CEF parser,
/// which conform to ``CEFTrafficParser``: they check the header's vendor and product, and add what their vendor
/// puts in other keys.
///
/// Keys (ArcSight "Implementing ArcSight CEF", extension dictionary):
/// - time: `rt`, else `end`, else `start` (epoch milliseconds or `MMM dd [yyyy] HH:mm:ss[.SSS] [zone]`, see
///   ``SIEMTimestamp``); without any, the syslog envelope's time.
/// - source: `src` (IPv4 or IPv6), else the `c6aN` field labelled "Source IPv6 Address" (by the standard's
///   convention `c6a2`); `suser`, else `suid`; `shost` as the device name.
/// - destination: `dhost` (host name; an address goes to the IP), `dst`, else the `c6aN` labelled
///   "Destination IPv6 Address" (`c6a3`); `dpt`; `request` (the URL: host and port when not given otherwise).
/// - HTTP: `requestMethod`, `requestClientApplication` (User-Agent), `outcome` when it is an HTTP status code.
/// - bytes: `in` is read as bytes *into the client* (server → client, ``TrafficRecord/bytesDown``) and `out` as
///   bytes *out of the client* (client → server, ``TrafficRecord/bytesUp``). ArcSight's wording ("relative to the
///   source to destination relationship") is ambiguous; this is how Zscaler (`in=respsize out=reqsize`),
///   Forcepoint (`in=bytesReceived out=bytesSent`) and Check Point (`in=received_bytes`) fill them.
/// - action: `act`, through ``action(_:)``.
///
/// `duser` (the destination's user, not the client), `app` (the application protocol) and `cat` have no record
/// field. A CEF event that names none of the connection keys is not traffic (an audit or system event).
enum CEFTraffic {
    /// The ``FieldCatalog`` ids the standard keys fill: the descriptor fields of a CEF parser that reads no others.
    static let fields = [
        "time", "net.src_ip", "user.name", "device.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
        "http.method", "http.status", "net.bytes_up", "net.bytes_down", "event.action", "http.user_agent",
    ]

    /// The keys that make an event a connection or request.
    private static let trafficKeys: [StaticString] = [
        "src", "dst", "dhost", "request", "dpt", "in", "out", "c6a2", "c6a3", "requestMethod",
    ]

    /// Whether the extension names a connection or request at all.
    static func carriesTraffic(_ cef: CEFMessage) -> Bool {
        trafficKeys.contains { cef.value(for: $0) != nil }
    }

    /// Whether header field `index` (1 vendor, 2 product) equals `literal` (lowercase), ignoring case.
    static func header(_ cef: CEFMessage, _ index: Int, is literal: StaticString) -> Bool {
        cef.headerField(index).trimmed.equalsCaseInsensitive(literal)
    }

    /// Fills the record from the standard keys.
    ///
    /// - Returns: the rejection reason when a present value is malformed (bad time, address or number), else nil.
    static func fill(
        _ r: inout TrafficRecord,
        from cef: CEFMessage,
        line: Bytes,
        context: ParseContext
    )
        -> ReasonCode?
    {
        // Time.
        if let raw = cef.value(for: "rt") ?? cef.value(for: "end") ?? cef.value(for: "start"),
            !raw.trimmed.isPlaceholder
        {
            guard let t = SIEMTimestamp.parse(raw, defaultYear: context.defaultYear) else { return .badTimestamp }
            r.time = t
        } else if cef.start > 0 {
            r.time = SyslogHeader.parse(line.sub(0..<cef.start), defaultYear: context.defaultYear).time
        }
        // Addresses and port.
        let source = cef.value(for: "src") ?? ipv6(cef, labelled: "Source IPv6 Address", slot: "c6a2", "c6a2Label")
        let destination =
            cef.value(for: "dst") ?? ipv6(cef, labelled: "Destination IPv6 Address", slot: "c6a3", "c6a3Label")
        guard SIEMValue.setSource(source, in: &r), SIEMValue.setDestinationAddress(destination, in: &r) else {
            return .badAddress
        }
        guard SIEMValue.setDestinationPort(cef.value(for: "dpt"), in: &r) else { return .badNumber }
        // Host and URL.
        SIEMValue.withText(cef, "dhost") { r.apply(host: $0) }
        SIEMValue.withText(cef, "request") { r.apply(url: $0, context: context) }
        // User and device.
        SIEMValue.withText(cef, "suser") { r.apply(user: $0) }
        if r.user == nil { SIEMValue.withText(cef, "suid") { r.apply(user: $0) } }
        SIEMValue.setDevice(cef.value(for: "shost"), in: &r)
        // HTTP.
        SIEMValue.withText(cef, "requestMethod") { r.apply(method: $0) }
        SIEMValue.withText(cef, "requestClientApplication") { r.apply(userAgent: $0, context: context) }
        SIEMValue.setStatus(cef.value(for: "outcome"), in: &r)
        // Bytes: in = into the client, out = out of the client.
        guard SIEMValue.setBytes(\.bytesDown, cef.value(for: "in"), in: &r),
            SIEMValue.setBytes(\.bytesUp, cef.value(for: "out"), in: &r)
        else { return .badNumber }
        if let act = cef.value(for: "act") { r.action = action(act) }
        return nil
    }

    /// The record, or a rejection when it names no destination.
    static func finish(_ r: TrafficRecord) -> ParseResult {
        guard r.destinationHost != nil || r.destinationIP != nil else { return .rejected(.noDestination) }
        return .record(r)
    }

    /// ``finish(_:)`` for a record filled in place.
    static func outcome(_ r: TrafficRecord) -> LineOutcome {
        r.destinationHost != nil || r.destinationIP != nil ? .record : .rejected(.noDestination)
    }

    /// `act` words: ``ActionWords`` plus `isolate`/`isolated` and `read-only` (the page was served through
    /// remote browser isolation: allowed) and `success`.
    static func action(_ word: Bytes) -> TrafficAction? {
        let w = word.trimmed
        if let a = ActionWords.classify(w) { return a }
        if w.count >= 3, w[0] | 0x20 == UInt8(ascii: "i"), w[1] | 0x20 == UInt8(ascii: "s"),
            w[2] | 0x20 == UInt8(ascii: "o")
        {
            return .allowed
        }
        if w.hasPrefix("read") || w.hasPrefix("Read") || w.equalsCaseInsensitive("success") { return .allowed }
        return nil
    }

    /// An IPv6 custom address field: the one whose label says what it is, else the standard's default slot
    /// (unless that slot is labelled as something else).
    private static func ipv6(
        _ cef: CEFMessage,
        labelled label: StaticString,
        slot: StaticString,
        _ slotLabel: StaticString
    ) -> Bytes? {
        let slots: [(StaticString, StaticString)] = [
            ("c6a1Label", "c6a1"), ("c6a2Label", "c6a2"), ("c6a3Label", "c6a3"), ("c6a4Label", "c6a4"),
        ]
        for (labelKey, valueKey) in slots {
            if let l = cef.value(for: labelKey), l.trimmed.equalsCaseInsensitive(label) {
                return cef.value(for: valueKey)
            }
        }
        if cef.value(for: slotLabel) != nil { return nil }
        return cef.value(for: slot)
    }
}

/// A parser that reads CEF through ``CEFTraffic``: it names its vendor's header and adds the vendor's own keys;
/// the default ``parse(_:context:)`` parses the message, checks the vendor, skips events that are not traffic,
/// fills the standard keys, then the vendor's, and requires a destination.
protocol CEFTrafficParser: BuiltinLogParser {
    /// The message, reused from line to line.
    var cef: CEFMessage { get set }
    /// Whether the header names this parser's vendor and product; false rejects the line as another format.
    static func isVendor(_ cef: CEFMessage) -> Bool
    /// Whether the event is a connection or request; false counts it as not traffic. By default, whether it
    /// names any connection key (``CEFTraffic/carriesTraffic(_:)``).
    static func isTraffic(_ cef: CEFMessage) -> Bool
    /// Adds what the vendor writes outside the standard dictionary, after ``CEFTraffic/fill(_:from:line:context:)``.
    /// By default, nothing.
    ///
    /// - Returns: the rejection reason when a present value is malformed, else nil.
    static func fillVendorFields(_ r: inout TrafficRecord, from cef: CEFMessage, context: ParseContext) -> ReasonCode?
}

extension CEFTrafficParser {
    static func isTraffic(_ cef: CEFMessage) -> Bool { CEFTraffic.carriesTraffic(cef) }

    static func fillVendorFields(_ r: inout TrafficRecord, from cef: CEFMessage, context: ParseContext) -> ReasonCode? {
        nil
    }

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        guard cef.parse(line) else {
            return .rejected(line.index(of: "CEF:") == nil ? .notThisFormat : .truncated)
        }
        guard Self.isVendor(cef) else { return .rejected(.notThisFormat) }
        guard Self.isTraffic(cef) else { return .ignored(.notTraffic) }
        if let reason = CEFTraffic.fill(&record, from: cef, line: line, context: context) { return .rejected(reason) }
        if let reason = Self.fillVendorFields(&record, from: cef, context: context) { return .rejected(reason) }
        return CEFTraffic.outcome(record)
    }
}
