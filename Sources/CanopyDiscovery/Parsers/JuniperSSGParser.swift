package import CanopyCore

/// Juniper NetScreen / SSG (ScreenOS) traffic logs, message `system-notification-00257(traffic)`.
///
/// Per the ScreenOS "Message Log Reference" traffic log format: `NetScreen device_id=… [Root]system-notification-
/// 00257(traffic): start_time="yyyy-mm-dd hh:mm:ss" duration=… policy_id=… service=… proto=… src zone=… dst zone=…
/// action=Permit|Deny|Reject|Tunnel(…) sent=… rcvd=… src=… dst=… src_port=… dst_port=… [src-xlated ip=… port=…]
/// [session_id=… reason=…]`. `sent` is what the source sent. Other NetScreen messages are ignored as not traffic.
///
/// A policy with `log session-init` also logs each session when it is created (`reason=Creation`, no byte counts)
/// before the log at its end (`reason=Close - …`): a session counts once, from its end log, so a valid Creation log
/// is ignored as `session-start`.
package struct JuniperSSGParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "juniper.ssg",
        product: "Juniper NetScreen / SSG (ScreenOS)",
        summary: "ScreenOS traffic logs (NetScreen device_id=… system-notification-00257(traffic): start_time=… "
            + "action=Permit|Deny sent=… rcvd=… src=… dst=… dst_port=…) per the ScreenOS Message Log Reference. "
            + "Deny and Reject count as blocked. reason=Creation (session-init logging) is ignored so that each "
            + "session counts once, from its close log.",
        sample: "<134>ssg5: NetScreen device_id=ssg5  [Root]system-notification-00257(traffic): "
            + "start_time=\"2024-01-02 03:04:05\" duration=12 policy_id=3 service=https proto=6 src zone=Trust "
            + "dst zone=Untrust action=Permit sent=1820 rcvd=15230 src=10.0.0.5 dst=52.96.1.2 src_port=51000 "
            + "dst_port=443 src-xlated ip=203.0.113.7 port=40112 dst-xlated ip=52.96.1.2 port=443 session_id=8245 "
            + "reason=Close - TCP FIN",
        fields: [
            "time", "net.src_ip", "net.dst_ip", "net.dst_port", "net.bytes_up", "net.bytes_down", "event.action",
        ]
    )

    private var pairs = KeyValueScanner()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        guard let device = line.index(of: "device_id="), device >= 10,
            line.sub((device - 10)..<device).equalsCaseInsensitive("netscreen ")
        else { return .rejected(.notThisFormat) }
        guard line.index(of: "(traffic):", from: device) != nil else { return .ignored(.notTraffic) }
        let closed = pairs.scan(line.dropFirst(device))
        guard closed else { return .rejected(.unbalancedQuotes) }
        if let start = pairs.value(for: "start_time") {
            guard let time = TimeParsing.slashDate(start) else { return .rejected(.badTimestamp) }
            record.time = time
        } else {
            guard let time = SyslogHeader.parse(line, defaultYear: context.defaultYear).time else {
                return .rejected(.badTimestamp)
            }
            record.time = time
        }
        guard let source = pairs.value(for: "src"), let destination = pairs.value(for: "dst") else {
            return .rejected(pairs.indexOf("action") == nil ? .truncated : .noDestination)
        }
        guard let sourceIP = source.ipAddress, let destinationIP = destination.ipAddress else {
            return .rejected(.badAddress)
        }
        record.sourceIP = sourceIP
        record.destinationIP = destinationIP
        if let port = pairs.value(for: "dst_port"), !port.isPlaceholder {
            guard let value = Self.parenthesized(port).port else { return .rejected(.badNumber) }
            let proto = pairs.value(for: "proto")
            if value > 0, proto?.equals("1") != true { record.destinationPort = value }
        }
        if let sent = pairs.value(for: "sent"), !sent.isPlaceholder {
            guard let value = sent.decimal else { return .rejected(.badNumber) }
            record.bytesUp = value
        }
        if let received = pairs.value(for: "rcvd"), !received.isPlaceholder {
            guard let value = received.decimal else { return .rejected(.badNumber) }
            record.bytesDown = value
        }
        if let action = pairs.value(for: "action") {
            // Permit, or Tunnel(<vpn>) for traffic sent into a VPN, is allowed; Deny and Reject are blocked.
            record.action = action.hasPrefix("Tunnel") ? .allowed : ActionWords.classify(action)
        }
        if let reason = pairs.value(for: "reason"), reason.hasPrefix("Creation") { return .ignored(.sessionStart) }
        return .record
    }

    /// ScreenOS 5 wrote ports as `(1254)`.
    private static func parenthesized(_ b: Bytes) -> Bytes {
        if b.count >= 2, b[0] == UInt8(ascii: "("), b[b.count - 1] == UInt8(ascii: ")") {
            return b.sub(1..<(b.count - 1))
        }
        return b
    }
}
