package import CanopyCore

/// Microsoft Forefront Threat Management Gateway 2010 and ISA Server 2004/2006 Web Proxy log in W3C format.
///
/// TMG writes the `#Fields:` names and the values separated by tabs ("Web Proxy log fields", Forefront TMG
/// documentation): `c-ip cs-username c-agent sc-authenticated date time s-svcname s-computername cs-referred
/// r-host r-ip r-port time-taken cs-bytes sc-bytes cs-protocol cs-transport s-operation cs-uri cs-mime-type
/// s-object-source sc-status s-cache-info rule FilterInfo cs-Network sc-Network error-info action …`. `date` and
/// `time` are UTC in W3C files. `c-agent` is the User-Agent, `s-operation` the method, `cs-uri` the URL (`host:port`
/// for CONNECT), `r-host`/`r-ip`/`r-port` the destination, `cs-bytes` the bytes the client sent and `sc-bytes` the
/// bytes it received. `sc-status` is an HTTP status, or a Windows, Winsock or TMG error code (12202: "Forefront TMG
/// denied the specified URL"), which sets no status. `action` is `Allowed` or `Denied`; `Failed` (the destination
/// could not be reached) sets no action. `anonymous` is TMG's word for no authenticated user.
///
/// A tab-separated line before any `#Fields:` is rejected as missing its header, any other as not this format. A W3C
/// log with none of the TMG-only fields (`s-svcname`, `s-object-source`, `cs-referred`, `sc-authenticated`,
/// `FilterInfo`, `cs-Network`, `sc-Network`, `s-cache-info`) is rejected as not this format.
package struct MicrosoftTMGParser: W3CDialectParser {
    package static let descriptor = ParserDescriptor(
        id: "microsoft.tmg",
        product: "Microsoft Forefront TMG / ISA Server",
        summary: "Forefront TMG 2010 / ISA Server Web Proxy log in W3C format (tab-separated; Forefront TMG \"Web "
            + "Proxy log fields\"): c-ip, cs-username, c-agent, date and time (UTC), r-host, r-ip, r-port, cs-bytes, "
            + "sc-bytes, s-operation, cs-uri, sc-status (HTTP or TMG error code), action Allowed/Denied.",
        sample: "#Fields: c-ip\tcs-username\tc-agent\tsc-authenticated\tdate\ttime\ts-svcname\ts-computername\t"
            + "r-host\tr-ip\tr-port\tcs-bytes\tsc-bytes\ts-operation\tcs-uri\tsc-status\taction\n"
            + "10.0.0.5\tCONTOSO\\alice\tMozilla/5.0 (Windows NT 10.0)\tY\t2013-05-14\t08:12:44\tForward Proxy\t"
            + "TMG01\twww.dropbox.com\t162.125.1.18\t443\t880\t5120\tGET\thttps://www.dropbox.com/home\t200\tAllowed",
        fields: [
            "time", "net.src_ip", "user.name", "device.name", "net.dst_host", "net.dst_ip", "net.dst_port",
            "http.url", "http.method", "http.status", "net.bytes_up", "net.bytes_down", "net.bytes_total",
            "event.action", "http.user_agent",
        ]
    )

    /// Columns only TMG and ISA Server write.
    private static let signature: [W3CExtendedLog.Field] = [
        .serviceName, .objectSource, .referredServer, .authenticatedClient, .filterInfo, .clientNetwork,
        .serverNetwork, .cacheInfo,
    ]

    private var log = W3CExtendedLog()

    package init() {}

    package mutating func parseLine(
        _ line: Bytes,
        into record: inout TrafficRecord,
        context: ParseContext
    ) -> LineOutcome {
        if let header = log.directive(line) { return header }
        guard let columns = log.columns else {
            // Only a tab-separated line is missing its header; anything else is another format.
            return .rejected(line.index(of: 9) != nil ? .missingHeader : .notThisFormat)
        }
        guard columns.hasAny(Self.signature) else { return .rejected(.notThisFormat) }
        if let reason = log.split(line) { return .rejected(reason) }
        let outcome = log.record(line, into: &record, context: context, serverIsDestination: false)
        guard outcome == .record else { return outcome }
        if let user = record.user, user.utf8.count == 9, user.lowercased() == "anonymous" { record.user = nil }
        record.action = action(line)
        return .record
    }

    /// `action` when logged; otherwise the TMG error codes for a denied URL.
    private func action(_ line: Bytes) -> TrafficAction? {
        if let action = log.present(.tmgAction, in: line) {
            if action.equalsCaseInsensitive("allowed") { return .allowed }
            if action.equalsCaseInsensitive("denied") { return .blocked }
            return nil
        }
        // 12202: "Forefront TMG denied the specified URL" (TMG "Result code log values").
        if let status = log.present(.status, in: line), status.equals("12202") {
            return .blocked
        }
        return nil
    }
}
