package import CanopyCore

/// Cisco Secure Firewall Threat Defense (FirePOWER) connection events sent as syslog: message 430002 (connection
/// start) and 430003 (connection end), `Key: value, …` bodies as listed in the "Security Event Syslog Messages"
/// chapter of the Secure Firewall Threat Defense syslog guide.
///
/// Only connection end events make records: a connection counts once, from its 430003 (which carries the byte
/// counts), and a 430002 start event is ignored as `session-start`, also for rules that log at the beginning of
/// connections only. The ASA-style traffic messages (302013 built, 106023 deny, 304001 URL …) are rejected as
/// another format, so that a stream of them is recognised as `cisco.asa`, which also reads these events; other
/// messages (intrusion 430001, file 430004/430005, system events) are ignored.
package struct CiscoFirepowerParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "cisco.firepower",
        product: "Cisco Secure Firewall Threat Defense (FirePOWER)",
        summary: "FTD connection events over syslog: %FTD-x-430003 (connection end) with SrcIP, DstIP, DstPort, "
            + "User, URL, ReferencedHost, UserAgent, HTTPResponse, InitiatorBytes, ResponderBytes and "
            + "AccessControlRuleAction. 430002 (connection start) is ignored so that each connection counts once; "
            + "rules that log only at the beginning of connections give no records. From the Secure Firewall Threat "
            + "Defense syslog guide (security event syslog messages, connection event fields).",
        sample: "<113>2024-01-02T03:04:05Z ftd01 %FTD-1-430003: DeviceUUID: 854f1702-0ecf-11e8-0df9-e7e6f1185fdb, "
            + "AccessControlRuleAction: Allow, SrcIP: 10.0.0.5, DstIP: 162.125.1.18, SrcPort: 51000, DstPort: 443, "
            + "Protocol: tcp, User: CORP\\alice, ApplicationProtocol: HTTPS, WebApplication: Dropbox, "
            + "InitiatorBytes: 1200, ResponderBytes: 56000, URL: https://www.dropbox.com",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "http.status", "net.bytes_up", "net.bytes_down", "event.action", "http.user_agent",
        ]
    )

    private var event = FirepowerConnectionEvent()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        switch CiscoSyslogMessage.parse(line, defaultYear: context.defaultYear) {
        case .notCisco:
            return .rejected(line.trimmed.isEmpty ? .emptyLine : .notThisFormat)
        case .badTimestamp:
            return .rejected(.badTimestamp)
        case .message(let message):
            if FirepowerConnectionEvent.isConnectionEvent(message.messageID) {
                return event.record(
                    from: message.body,
                    messageID: message.messageID,
                    time: message.time,
                    context: context
                )
                .deliver(into: &record)
            }
            // Traffic this format does not carry: the ASA-style connection messages are cisco.asa's.
            return Self.asaTrafficMessages.contains(message.messageID)
                ? .rejected(.notThisFormat) : .ignored(.notTraffic)
        }
    }

    /// The ASA/FTD message ids `cisco.asa` turns into records.
    private static let asaTrafficMessages: Set<Int> = [
        302_013, 302_014, 302_015, 302_016, 106_001, 106_006, 106_007, 106_015, 106_023, 106_100, 106_102, 106_103,
        304_001, 304_002, 710_003,
    ]
}
