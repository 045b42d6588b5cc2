package import CanopyCore

/// Zeek `dns.log` as written by the ASCII writer (TSV with `#fields` headers): see ``ZeekTSVReader`` for the
/// format and ``ZeekRecordMapper`` for the mapping. The sample is a `#fields` header and one line, since a Zeek TSV
/// line means nothing without its header.
package struct ZeekDNSTSVParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "zeek.dns_tsv",
        product: "Zeek",
        summary: "Zeek dns.log in the ASCII writer's TSV format (one line per DNS query/response: the query name "
            + "as destination host (the resolver in id.resp_h is not the destination); NXDOMAIN and rejected "
            + "lookups count, messages that name nothing are ignored). Columns are mapped by name from the "
            + "#fields header; #separator, #unset_field and #empty_field are honoured. Fields: docs.zeek.org "
            + "base/protocols/dns/main.zeek (DNS::Info); format: base/frameworks/logging/writers/ascii.zeek.",
        sample: "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\tqtype_name\t"
            + "rcode_name\tanswers\n"
            + "1521911720.865716\tCqKst53mF3det3eDV9\t10.47.1.100\t41772\t10.0.0.100\t"
            + "53\tudp\tise.wrccdc.org\tA\tNOERROR\tise.wrccdc.cpp.edu,134.71.3.16",
        fields: ZeekLogKind.dns.emittedFields
    )

    private var reader = ZeekTSVReader()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        reader.parse(line, as: .dns, into: &record, context: context)
    }
}
