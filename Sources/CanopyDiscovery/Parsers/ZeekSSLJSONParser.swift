package import CanopyCore

/// Zeek `ssl.log` written as JSON lines: see ``ZeekJSONReader`` for the format and ``ZeekRecordMapper`` for
/// the mapping.
package struct ZeekSSLJSONParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "zeek.ssl_json",
        product: "Zeek",
        summary: "Zeek ssl.log written as JSON, one object per line (LogAscii::use_json or json-streaming-logs; "
            + "one line per TLS/SSL handshake: the SNI (server_name) as destination host, else the server "
            + "address). ts may be epoch or ISO 8601. Fields: docs.zeek.org base/protocols/ssl/main.zeek "
            + "(SSL::Info).",
        sample: "{\"ts\":1521912989.522185,\"uid\":\"CBuQQ04Gzsnj2mf9Xf\",\"id.orig_h\":\"10.47.1.152\","
            + "\"id.orig_p\":49808,\"id.resp_h\":\"64.4.54.254\",\"id.resp_p\":443,\"version\":\"TLSv12\","
            + "\"cipher\":\"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA\",\"curve\":\"secp256r1\","
            + "\"server_name\":\"web.vortex.data.microsoft.com\",\"resumed\":false,\"established\":true}",
        fields: ZeekLogKind.ssl.emittedFields
    )

    private var reader = ZeekJSONReader()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        reader.parse(line, as: .ssl, into: &record, context: context)
    }
}
