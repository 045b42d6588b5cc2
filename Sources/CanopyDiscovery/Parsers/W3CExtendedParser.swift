package import CanopyCore

/// Any log in the W3C Extended Log File Format, read through its `#Fields:` directive (W3C WD-logfile-960323):
/// IIS and other web servers, and proxies without a vendor-specific parser. See ``W3CExtendedLog``.
///
/// The standard fields give time (`date` + `time`, UTC), client (`c-ip`, `c-dns`), user (`cs-username`), request
/// (`cs-method`, `cs-uri` or `cs-uri-stem` + `cs-uri-query`, `cs-host`), status, bytes (`sc-bytes` down, `cs-bytes`
/// up, `bytes` total), `cs(User-Agent)`, and the destination: the URL's host, `cs-host`, `r-host`/`r-ip`/`r-port`
/// (a proxy's remote server) or, in a web server's own log, `s-ip`/`s-port`/`s-dns`. The format has no standard
/// allow/block field, so no action is set. Data before any `#Fields:` is rejected as missing its header.
package struct W3CExtendedParser: W3CDialectParser {
    package static let descriptor = ParserDescriptor(
        id: "w3c.extended",
        product: "W3C Extended Log File Format (IIS and other servers and proxies)",
        summary: "Generic W3C Extended Log File Format (W3C Working Draft WD-logfile-960323): columns named by the "
            + "#Fields: directive, mapped case-insensitively (date, time, c-ip, cs-username, cs-method, cs-uri, "
            + "cs-uri-stem, cs-uri-query, cs-host, sc-status, sc-bytes, cs-bytes, cs(User-Agent), s-ip, s-port, "
            + "r-host, r-ip, r-port …); times are UTC. Lines before a #Fields: directive are rejected.",
        sample: "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
            + "sc-status sc-bytes cs-bytes cs-host\n"
            + "2024-03-22 16:16:01 52.96.0.10 GET /owa/ - 443 CONTOSO\\alice 10.0.0.5 "
            + "Mozilla/5.0+(Windows+NT+10.0) 200 5120 880 outlook.office.com",
        fields: [
            "time", "net.src_ip", "user.name", "device.name", "net.dst_host", "net.dst_ip", "net.dst_port",
            "http.url", "http.method", "http.status", "net.bytes_up", "net.bytes_down", "net.bytes_total",
            "http.user_agent",
        ],
        isGeneric: true
    )

    private var log = W3CExtendedLog()

    package init() {}

    package mutating func parseLine(
        _ line: Bytes,
        into record: inout TrafficRecord,
        context: ParseContext
    ) -> LineOutcome {
        if let header = log.directive(line) { return header }
        if let reason = log.split(line) { return .rejected(reason) }
        return log.record(line, into: &record, context: context, serverIsDestination: true)
    }
}
