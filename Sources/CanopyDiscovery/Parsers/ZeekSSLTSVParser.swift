package import CanopyCore

/// Zeek `ssl.log` as written by the ASCII writer (TSV with `#fields` headers): see ``ZeekTSVReader`` for the
/// format and ``ZeekRecordMapper`` for the mapping. The sample is a `#fields` header and one line, since a Zeek TSV
/// line means nothing without its header.
package struct ZeekSSLTSVParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "zeek.ssl_tsv",
        product: "Zeek",
        summary: "Zeek ssl.log in the ASCII writer's TSV format (one line per TLS/SSL handshake: the SNI "
            + "(server_name) as destination host, else the server address). Columns are mapped by name from the "
            + "#fields header; #separator, #unset_field and #empty_field are honoured. Fields: docs.zeek.org "
            + "base/protocols/ssl/main.zeek (SSL::Info); format: base/frameworks/logging/writers/ascii.zeek.",
        sample: "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tversion\tcipher\tserver_name\t"
            + "established\n"
            + "1521912989.522185\tCBuQQ04Gzsnj2mf9Xf\t10.47.1.152\t49808\t64.4.54.254\t443\t"
            + "TLSv12\tTLS_ECDHE_RSA_WITH_AES_256_CBC_SHA\tweb.vortex.data.microsoft.com\tT",
        fields: ZeekLogKind.ssl.emittedFields
    )

    private var reader = ZeekTSVReader()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        reader.parse(line, as: .ssl, into: &record, context: context)
    }
}
