package import CanopyCore

/// Check Point Log Exporter, "syslog" format: an RFC 5424 envelope and the fields as `key:"value";` pairs.
///
/// `<134>1 2022-07-16T18:51:20Z fw1 CheckPoint 15190 - [action:"Accept"; flags:"802832"; ifdir:"inbound";
/// loguid:"{…}"; origin:"…"; time:"1657997480"; version:"5"; dst:"…"; proto:"6"; s_port:"…"; service:"443";
/// src:"…"; …]` (Check Point "Log Exporter" guide; values may hold `;`, `]` escaped as `\]`). Newer gateways can
/// write the fields as RFC 5424 structured data instead, `[Fields@1.3.6.1.4.1.2620 src="…" dst="…" …]`, which is
/// read too. Field meanings: ``CheckPointFields``; the time is the `time` field, else the envelope's.
package struct CheckPointSyslogParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "checkpoint.syslog",
        product: "Check Point Quantum (Log Exporter, syslog)",
        summary: "Check Point Log Exporter syslog format: RFC 5424 envelope and `[key:\"value\"; …]` fields (or "
            + "`[Fields@1.3.6.1.4.1.2620 key=\"value\" …]`), read with Check Point's log field names: time, src, "
            + "dst, service (port), resource (URL Filtering URL), src_user_name, src_machine_name, client inbound/"
            + "outbound bytes (or sent_bytes/received_bytes) and action (Accept/Drop/Reject/Block …). Management "
            + "events (Key Install, Log In, Update …) are counted as not traffic.",
        sample: "<134>1 2024-03-05T10:15:01Z gw-hq CheckPoint 25416 - [action:\"Accept\"; flags:\"411908\"; "
            + "ifdir:\"outbound\"; loguid:\"{0x65e6f0a5,0x1,0x3a0010ac,0xc0000002}\"; origin:\"10.0.0.1\"; "
            + "time:\"1709633701\"; version:\"5\"; dst:\"162.125.1.18\"; product:\"URL Filtering\"; proto:\"6\"; "
            + "s_port:\"51515\"; service:\"443\"; src:\"10.1.1.10\"; src_user_name:\"jdoe\"; "
            + "resource:\"https://www.dropbox.com/home\"]",
        fields: [
            "time", "net.src_ip", "user.name", "device.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "net.bytes_up", "net.bytes_down", "net.bytes_total", "event.action",
        ]
    )

    private var pairs = KeyValueScanner(
        pairSeparator: UInt8(ascii: ";"),
        keyValueSeparator: UInt8(ascii: ":"),
        collapsesSeparators: true
    )
    private var structured = KeyValueScanner()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        guard let open = line.index(of: UInt8(ascii: "[")) else { return .rejected(.notThisFormat) }
        var end = line.count
        while end > open + 1, line[end - 1] == 32 { end -= 1 }
        guard end > open + 1, line[end - 1] == UInt8(ascii: "]") else { return .rejected(.truncated) }
        let body = line.sub((open + 1)..<(end - 1))
        let envelope = SyslogHeader.parse(line.sub(0..<open), defaultYear: context.defaultYear)
        if body.hasPrefix("Fields@") {
            let attributes = body.dropFirst(body.index(of: 32) ?? body.count)
            guard structured.scan(attributes) else { return .rejected(.unbalancedQuotes) }
            return fill(&record, from: structured, envelope: envelope, context: context)
        }
        guard pairs.scan(body) else { return .rejected(.unbalancedQuotes) }
        guard pairs.count > 0, pairs.value(for: "action") != nil || CheckPointFields.carriesTraffic(pairs) else {
            return .rejected(.notThisFormat)
        }
        return fill(&record, from: pairs, envelope: envelope, context: context)
    }

    private func fill(
        _ record: inout TrafficRecord,
        from f: KeyValueScanner,
        envelope: SyslogHeader,
        context: ParseContext
    ) -> LineOutcome {
        if let action = f.value(for: "action"), CheckPointFields.isManagementAction(action) {
            return .ignored(.notTraffic)
        }
        guard CheckPointFields.carriesTraffic(f) else { return .ignored(.notTraffic) }
        if let reason = CheckPointFields.fill(&record, from: f, context: context) { return .rejected(reason) }
        if record.time == nil { record.time = envelope.time }
        if let action = f.value(for: "action") { record.action = CheckPointFields.action(action) }
        return CEFTraffic.outcome(record)
    }
}
