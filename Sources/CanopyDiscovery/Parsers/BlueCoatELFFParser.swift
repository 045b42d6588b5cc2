package import CanopyCore

/// Blue Coat / Symantec ProxySG access log files in ELFF: W3C extended format with Blue Coat field names, read
/// through the file's `#Fields:` directive (any format: `bcreportermain_v1`, `main`, custom). See
/// ``BlueCoatAccessLog`` for the fields and the action, ``W3CExtendedLog`` for the format.
///
/// A line before any `#Fields:` is rejected as missing its header when it starts like an entry (a date), else as
/// not this format. A W3C log whose `#Fields:` has none of ProxySG's own fields (`s-action`, `sc-filter-result`,
/// `x-exception-id`) is rejected as not this format, so that sniffing leaves it to the generic or another vendor's
/// parser.
package struct BlueCoatELFFParser: W3CDialectParser {
    package static let descriptor = ParserDescriptor(
        id: "bluecoat.elff",
        product: "Blue Coat / Symantec ProxySG",
        summary: "ProxySG access log in ELFF (W3C extended with Blue Coat field names, ProxySG Access Logging "
            + "guide): columns from the #Fields: directive, usually the bcreportermain_v1 or main format. "
            + "sc-filter-result DENIED (or x-exception-id *_denied, s-action TCP_DENIED) is blocked; URL from "
            + "cs-uri-scheme, cs-host, cs-uri-port, cs-uri-path and cs-uri-query; times are UTC.",
        sample: "#Fields: date time time-taken c-ip cs-username cs-auth-group x-exception-id sc-filter-result "
            + "cs-categories cs(Referer) sc-status s-action cs-method rs(Content-Type) cs-uri-scheme cs-host "
            + "cs-uri-port cs-uri-path cs-uri-query cs-uri-extension cs(User-Agent) s-ip sc-bytes cs-bytes "
            + "x-virus-id\n"
            + "2024-03-22 16:16:01 48 10.82.255.36 alice \"CORP\\Staff\" - OBSERVED \"File Storage/Sharing\" - 200 "
            + "TCP_NC_MISS GET application/json https www.dropbox.com 443 /home - - \"Mozilla/5.0\" 10.1.1.2 "
            + "5120 880 -",
        fields: BlueCoatAccessLog.emittedFields
    )

    private var log = W3CExtendedLog()

    package init() {}

    package mutating func parseLine(
        _ line: Bytes,
        into record: inout TrafficRecord,
        context: ParseContext
    ) -> LineOutcome {
        if let header = log.directive(line) { return header }
        guard let columns = log.columns else {
            // Only an entry-shaped line is missing its header; anything else is another format.
            return .rejected(BlueCoatAccessLog.startsWithEntry(line) ? .missingHeader : .notThisFormat)
        }
        guard BlueCoatAccessLog.isBlueCoat(columns) else { return .rejected(.notThisFormat) }
        if let reason = log.split(line) { return .rejected(reason) }
        return BlueCoatAccessLog.record(log, line: line, into: &record, context: context)
    }
}
