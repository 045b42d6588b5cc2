package import CanopyCore

/// PAN-OS TRAFFIC logs in the syslog CSV format, with or without a syslog envelope.
///
/// Columns per the PAN-OS 10.x/11.x "Syslog Field Descriptions — Traffic Log Fields": Source/Destination Address
/// (7, 8), Source User (12), Destination Port (25), Action (30), Bytes (31), Bytes Sent — client to server (32),
/// Bytes Received — server to client (33). Other log types are ignored as not traffic.
///
/// Subtype (4) `start` is logged when a session starts and `end` when it ends, with its byte counts: a session
/// counts once, from its `end` log, so a valid `start` log is ignored as `session-start` (also for rules set to
/// log at session start only). `deny` and `drop` logs have no pair and are records.
package struct PaloAltoTrafficParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "paloalto.traffic",
        product: "Palo Alto Networks PAN-OS",
        summary: "PAN-OS TRAFFIC log CSV (syslog or file): addresses, user, ports, action, bytes sent/received. "
            + "Column order from the PAN-OS 10/11 \"Syslog Field Descriptions — Traffic Log Fields\". "
            + "allow counts as allowed; deny, drop and reset-* as blocked. Subtype start is ignored so that each "
            + "session counts once, from its end log; rules that log only at session start give no records.",
        sample: "Jan  2 03:04:05 PA-VM 1,2024/01/02 03:04:05,013201001234,TRAFFIC,end,2561,2024/01/02 03:04:05,"
            + "10.0.0.5,52.96.1.2,203.0.113.7,52.96.1.2,allow-web,corp\\alice,,ms-office365-base,vsys1,trust,"
            + "untrust,ethernet1/2,ethernet1/1,fwd,2024/01/02 03:04:05,33145,1,51000,443,40112,443,0x40001c,tcp,"
            + "allow,18587,6285,12302,35,2024/01/02 03:03:50,14,computer-and-internet-info,,7668167892928932982,"
            + "0x0,10.0.0.0-10.255.255.255,United States,,17,18,tcp-fin",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_ip", "net.dst_port", "net.bytes_up", "net.bytes_down",
            "net.bytes_total", "event.action",
        ]
    )

    private enum Column {
        static let bytes = 31
        static let bytesSent = 32
        static let bytesReceived = 33
    }

    private var fields = FieldSplitter()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        let (csv, outcome) = PANOSLog.open(
            line,
            fields: &fields,
            expectedType: "TRAFFIC",
            minimumColumns: Column.bytesReceived + 1
        )
        if let outcome { return outcome.deliver(into: &record) }
        if let reason = PANOSLog.readCommon(csv, fields: fields, into: &record) { return .rejected(reason) }
        record.action = Self.action(fields.field(PANOSLog.Column.action, in: csv))
        let total = fields.field(Column.bytes, in: csv)
        let sent = fields.field(Column.bytesSent, in: csv)
        let received = fields.field(Column.bytesReceived, in: csv)
        for value in [total, sent, received] where !value.isPlaceholder && value.decimal == nil {
            return .rejected(.badNumber)
        }
        record.bytesTotal = total.byteCount
        record.bytesUp = sent.byteCount
        record.bytesDown = received.byteCount
        guard record.destinationIP != nil else { return .rejected(.noDestination) }
        if fields.field(PANOSLog.Column.subtype, in: csv).equals("start") { return .ignored(.sessionStart) }
        return .record
    }

    /// `allow` → allowed; `deny`, `drop`, `drop-icmp`, `reset-client`, `reset-server`, `reset-both` → blocked.
    static func action(_ word: Bytes) -> TrafficAction? {
        if word.hasPrefix("allow") { return .allowed }
        if word.hasPrefix("deny") || word.hasPrefix("drop") || word.hasPrefix("reset") { return .blocked }
        return nil
    }
}
