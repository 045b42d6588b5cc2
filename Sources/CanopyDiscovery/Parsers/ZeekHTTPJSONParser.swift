package import CanopyCore

/// Zeek `http.log` written as JSON lines: see ``ZeekJSONReader`` for the format and ``ZeekRecordMapper`` for
/// the mapping.
package struct ZeekHTTPJSONParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "zeek.http_json",
        product: "Zeek",
        summary: "Zeek http.log written as JSON, one object per line (LogAscii::use_json or json-streaming-logs; "
            + "one line per HTTP request/response pair: Host header as destination, uri made absolute with it "
            + "as URL, method, status, request/response body lengths as bytes up/down, User-Agent and "
            + "Basic-auth username). ts may be epoch or ISO 8601. Fields: docs.zeek.org "
            + "base/protocols/http/main.zeek (HTTP::Info).",
        sample: "{\"ts\":1700000000.123456,\"uid\":\"CHhAvVGS1DHFjwGM9\",\"id.orig_h\":\"10.0.0.5\","
            + "\"id.orig_p\":52144,\"id.resp_h\":\"162.125.1.18\",\"id.resp_p\":80,\"trans_depth\":1,"
            + "\"method\":\"GET\",\"host\":\"www.dropbox.com\",\"uri\":\"/home\",\"version\":\"1.1\","
            + "\"user_agent\":\"Mozilla/5.0\",\"request_body_len\":0,\"response_body_len\":5120,"
            + "\"status_code\":200,\"status_msg\":\"OK\"}",
        fields: ZeekLogKind.http.emittedFields
    )

    private var reader = ZeekJSONReader()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        reader.parse(line, as: .http, into: &record, context: context)
    }
}
