package import CanopyCore

/// Zeek `http.log` as written by the ASCII writer (TSV with `#fields` headers): see ``ZeekTSVReader`` for the
/// format and ``ZeekRecordMapper`` for the mapping. The sample is a `#fields` header and one line, since a Zeek TSV
/// line means nothing without its header.
package struct ZeekHTTPTSVParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "zeek.http_tsv",
        product: "Zeek",
        summary: "Zeek http.log in the ASCII writer's TSV format (one line per HTTP request/response pair: Host "
            + "header as destination, uri made absolute with it as URL, method, status, request/response body "
            + "lengths as bytes up/down, User-Agent and Basic-auth username). Columns are mapped by name from "
            + "the #fields header; #separator, #unset_field and #empty_field are honoured. Fields: "
            + "docs.zeek.org base/protocols/http/main.zeek (HTTP::Info); format: "
            + "base/frameworks/logging/writers/ascii.zeek.",
        sample: "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tmethod\thost\turi\t"
            + "user_agent\trequest_body_len\tresponse_body_len\tstatus_code\n"
            + "1700000000.123456\t"
            + "CHhAvVGS1DHFjwGM9\t10.0.0.5\t52144\t162.125.1.18\t80\tGET\twww.dropbox.com\t/home\t"
            + "Mozilla/5.0\t0\t5120\t200",
        fields: ZeekLogKind.http.emittedFields
    )

    private var reader = ZeekTSVReader()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        reader.parse(line, as: .http, into: &record, context: context)
    }
}
