package import CanopyCore

/// Zeek `dns.log` written as JSON lines: see ``ZeekJSONReader`` for the format and ``ZeekRecordMapper`` for
/// the mapping.
package struct ZeekDNSJSONParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "zeek.dns_json",
        product: "Zeek",
        summary: "Zeek dns.log written as JSON, one object per line (LogAscii::use_json or json-streaming-logs; "
            + "one line per DNS query/response: the query name as destination host (the resolver in id.resp_h "
            + "is not the destination); NXDOMAIN and rejected lookups count, messages that name nothing are "
            + "ignored). ts may be epoch or ISO 8601. Fields: docs.zeek.org base/protocols/dns/main.zeek "
            + "(DNS::Info).",
        sample: "{\"ts\":1521911720.865716,\"uid\":\"CqKst53mF3det3eDV9\",\"id.orig_h\":\"10.47.1.100\","
            + "\"id.orig_p\":41772,\"id.resp_h\":\"10.0.0.100\",\"id.resp_p\":53,\"proto\":\"udp\","
            + "\"trans_id\":36329,\"query\":\"ise.wrccdc.org\",\"qtype_name\":\"A\","
            + "\"rcode_name\":\"NOERROR\",\"answers\":[\"ise.wrccdc.cpp.edu\",\"134.71.3.16\"],"
            + "\"rejected\":false}",
        fields: ZeekLogKind.dns.emittedFields
    )

    private var reader = ZeekJSONReader()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        reader.parse(line, as: .dns, into: &record, context: context)
    }
}
