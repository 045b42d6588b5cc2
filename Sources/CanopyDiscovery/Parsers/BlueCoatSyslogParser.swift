package import CanopyCore

/// Blue Coat / Symantec ProxySG access log streamed over syslog: an RFC 3164 or RFC 5424 envelope (or none), an
/// optional program tag, then one ELFF entry without a `#Fields:` directive.
///
/// The columns are assumed to be `bcreportermain_v1`, the format ProxySG's reporter and most SIEM guides configure
/// for syslog streaming, told apart by field count: SGOS 7.x (``BlueCoatAccessLog/reporterMainV1``, 29 fields up to
/// `x-virus-id` plus up to 13 threat/application/ICAP fields: `date time time-taken c-ip cs-username cs-auth-group
/// s-supplier-name s-supplier-ip s-supplier-country s-supplier-failures x-exception-id sc-filter-result
/// cs-categories cs(Referer) sc-status s-action cs-method rs(Content-Type) cs-uri-scheme cs-host cs-uri-port
/// cs-uri-path cs-uri-query cs-uri-extension cs(User-Agent) s-ip sc-bytes cs-bytes x-virus-id …`) or SGOS 5/6
/// (``BlueCoatAccessLog/reporterMainV1Legacy``, the same without the four `s-supplier-*` fields: 25 fields, or 27
/// with `x-bluecoat-application-name` and `x-bluecoat-application-operation`). A line whose `sc-filter-result`
/// column does not hold `OBSERVED`, `PROXIED` or `DENIED` is not this format. When the appliance streams its
/// `#Fields:` directive too (with or without an envelope), that directive's columns are used instead.
///
/// Syslog messages that are not access-log entries (ProxySG event-log messages) are ignored as not traffic.
package struct BlueCoatSyslogParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "bluecoat.syslog",
        product: "Blue Coat / Symantec ProxySG",
        summary: "ProxySG access log forwarded over syslog: an RFC 3164/5424 envelope, then ELFF fields in the "
            + "bcreportermain_v1 order with no #Fields: header (SGOS 7.x layout with s-supplier-* fields, or the "
            + "SGOS 5/6 layout without, told apart by field count; a streamed #Fields: directive overrides). "
            + "Action from sc-filter-result (ProxySG Access Logging guide, ELFF format codes).",
        sample: "<134>Nov  1 14:23:55 proxysg1 2024-11-01 14:23:54 6 10.0.1.2 alice \"CORP\\Staff\" "
            + "tr6.snapchat.com 10.7.0.3 \"United States\" - policy_denied DENIED \"Social Networking\" - 403 "
            + "TCP_DENIED GET text/html https tr6.snapchat.com 443 /p - - \"Mozilla/5.0\" 10.0.1.3 1297 582 -",
        fields: BlueCoatAccessLog.emittedFields
    )

    private var log = W3CExtendedLog()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        let (start, hasEnvelope) = Self.messageStart(line, defaultYear: context.defaultYear)
        let message = line.dropFirst(start)
        if let header = log.directive(message) { return header }
        guard BlueCoatAccessLog.startsWithEntry(message) else {
            return hasEnvelope ? .ignored(.notTraffic) : .rejected(.notThisFormat)
        }
        if log.hasDirective {
            guard let columns = log.columns, BlueCoatAccessLog.isBlueCoat(columns) else {
                return .rejected(.notThisFormat)
            }
            if let reason = log.split(message) { return .rejected(reason) }
            return BlueCoatAccessLog.record(log, line: message, into: &record, context: context)
        }
        log.columns = BlueCoatAccessLog.reporterMainV1
        if log.split(message) == .unbalancedQuotes { return .rejected(.unbalancedQuotes) }
        let layout =
            log.fieldCount >= BlueCoatAccessLog.reporterMainV1.requiredCount
            ? BlueCoatAccessLog.reporterMainV1 : BlueCoatAccessLog.reporterMainV1Legacy
        if let reason = log.select(layout) { return .rejected(reason) }
        guard let result = log.value(.filterResult, in: message), BlueCoatAccessLog.isFilterResult(result) else {
            return .rejected(.notThisFormat)
        }
        return BlueCoatAccessLog.record(log, line: message, into: &record, context: context)
    }

    /// Where the ELFF entry (or a streamed `#` directive) starts, and whether a syslog envelope came before it.
    static func messageStart(_ line: Bytes, defaultYear: Int) -> (start: Int, hasEnvelope: Bool) {
        let header = SyslogHeader.parse(line, defaultYear: defaultYear)
        var i = min(max(header.messageStart, 0), line.count)
        // An envelope without a host name: the envelope reader takes the entry's date for the host.
        if let host = header.host, W3CExtendedLog.day(host) != nil, let base = line.baseAddress,
            let hostStart = host.baseAddress
        {
            i = min(max(hostStart - base, 0), line.count)
        }
        let rest = line.dropFirst(i)
        if rest.count > 0, rest[0] != UInt8(ascii: "#"), !BlueCoatAccessLog.startsWithEntry(rest) {
            // A program tag: `bluecoat:`, `ProxySG[123]:`.
            var j = 0
            while j < rest.count, rest[j] != 32 { j += 1 }
            if j > 1, rest[j - 1] == UInt8(ascii: ":") {
                while j < rest.count, rest[j] == 32 { j += 1 }
                i += j
            }
        }
        return (i, i > 0 || header.time != nil)
    }
}
