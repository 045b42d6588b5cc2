package import CanopyCore

/// Zeek `conn.log` written as JSON lines: see ``ZeekJSONReader`` for the format and ``ZeekRecordMapper`` for
/// the mapping.
package struct ZeekConnJSONParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "zeek.conn_json",
        product: "Zeek",
        summary: "Zeek conn.log written as JSON, one object per line (LogAscii::use_json or json-streaming-logs; "
            + "one line per TCP/UDP/ICMP connection: server address and port as destination (no port for ICMP), "
            + "orig_bytes/resp_bytes as bytes up/down). ts may be epoch or ISO 8601. Fields: docs.zeek.org "
            + "base/protocols/conn/main.zeek (Conn::Info).",
        sample: "{\"ts\":1700000000.123456,\"uid\":\"CUM0KZ3MLUfNB0cl11\",\"id.orig_h\":\"10.0.0.5\","
            + "\"id.orig_p\":52144,\"id.resp_h\":\"52.96.165.18\",\"id.resp_p\":443,\"proto\":\"tcp\","
            + "\"service\":\"ssl\",\"duration\":12.504311,\"orig_bytes\":2264,\"resp_bytes\":10488,"
            + "\"conn_state\":\"SF\",\"missed_bytes\":0,\"history\":\"ShADadFf\",\"orig_pkts\":14,"
            + "\"orig_ip_bytes\":2996,\"resp_pkts\":16,\"resp_ip_bytes\":11328}",
        fields: ZeekLogKind.conn.emittedFields
    )

    private var reader = ZeekJSONReader()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        reader.parse(line, as: .conn, into: &record, context: context)
    }
}
