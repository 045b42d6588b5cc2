package import CanopyCore

/// Zeek `conn.log` as written by the ASCII writer (TSV with `#fields` headers): see ``ZeekTSVReader`` for the
/// format and ``ZeekRecordMapper`` for the mapping. The sample is a `#fields` header and one line, since a Zeek TSV
/// line means nothing without its header.
package struct ZeekConnTSVParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "zeek.conn_tsv",
        product: "Zeek",
        summary: "Zeek conn.log in the ASCII writer's TSV format (one line per TCP/UDP/ICMP connection: server "
            + "address and port as destination (no port for ICMP), orig_bytes/resp_bytes as bytes up/down). "
            + "Columns are mapped by name from the #fields header; #separator, #unset_field and #empty_field "
            + "are honoured. Fields: docs.zeek.org base/protocols/conn/main.zeek (Conn::Info); format: "
            + "base/frameworks/logging/writers/ascii.zeek.",
        sample: "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
            + "orig_bytes\tresp_bytes\tconn_state\n"
            + "1700000000.123456\tCUM0KZ3MLUfNB0cl11\t10.0.0.5\t52144\t"
            + "52.96.165.18\t443\ttcp\tssl\t12.504311\t2264\t10488\tSF",
        fields: ZeekLogKind.conn.emittedFields
    )

    private var reader = ZeekTSVReader()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        reader.parse(line, as: .conn, into: &record, context: context)
    }
}
