package import CanopyCore

/// Forcepoint Web Security Cloud (Cloud Security Gateway) SIEM integration log files: CSV with a header row.
///
/// The cloud service writes web logs for SIEM collection as gzip'd CSV files, every field quoted, whose first
/// line names the columns the administrator selected (Forcepoint Cloud Security Gateway help, *SIEM
/// integration*; Forcepoint's own CSG-to-Sentinel export tool reads these files by header name). The parser
/// follows the header, so column order and selection do not matter; it reads `Date & Time` (or `Date` and
/// `Time`, `yyyy-mm-dd hh:mm:ss`, UTC), `User`, `Source IP` (else `Connection IP`, the address the connection
/// reached the cloud from), `Destination IP`, `Domain`, `URL - Full` (or `URL`/`Full URL`), `Port`,
/// `Request Method`, `HTTP Status Code`, `Bytes Sent`, `Bytes Received`, `Action` and `User Agent`. Header names
/// are matched ignoring case, spaces and punctuation. Rows before any header are rejected (the columns are
/// unknown), except rows of exactly the 32 web columns Forcepoint's own CSG export tool reads, in its order.
package struct ForcepointCSVParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "forcepoint.csv",
        product: "Forcepoint Web Security Cloud (Cloud Security Gateway)",
        summary: "Forcepoint Web Security Cloud SIEM integration web log files: quoted CSV whose header row names "
            + "the selected columns (Date & Time, User, Source IP/Connection IP, Destination IP, Domain, URL - Full, "
            + "Port, Request Method, HTTP Status Code, Bytes Sent, Bytes Received, Action, User Agent …), read by "
            + "header name in any order. Allowed/Blocked map to the action; times are UTC.",
        sample: "\"2024-03-05 10:15:01\",\"Business Usage\",\"Allowed\",\"jdoe@example.com\",\"Default\","
            + "\"Online Storage\",\"www.dropbox.com\",\"https://www.dropbox.com/home\",\"Dropbox\",\"No\",\"Medium\","
            + "\"203.0.113.5\",\"United States\",\"162.125.1.18\",\"10.1.1.10\",\"\",\"\",\"\",\"\",\"\",\"\",\"\","
            + "\"Mozilla/5.0\",\"NTLM\",\"Cloud\",\"200\",\"443\",\"50231\",\"1024\",\"HTTPS\",\"GET\",\"LON\"",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url", "http.method",
            "http.status", "net.bytes_up", "net.bytes_down", "event.action", "http.user_agent",
        ]
    )

    private var fields = FieldSplitter()
    private var columns: ForcepointCSVColumns?

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        guard fields.split(line, separator: UInt8(ascii: ","), quote: UInt8(ascii: "\"")) else {
            return .rejected(.unbalancedQuotes)
        }
        if let header = ForcepointCSVColumns(header: fields, line: line) {
            columns = header
            return .ignored(.header)
        }
        guard fields.count >= 3 else { return .rejected(.notThisFormat) }
        let layout = columns ?? ForcepointCSVColumns.sampleLayout
        guard columns != nil || ForcepointCSVColumns.isDefaultRow(fields, line: line, context: context) else {
            return .rejected(.missingHeader)
        }
        guard fields.count >= layout.minimumCount else { return .rejected(.truncated) }
        return layout.record(from: fields, line: line, context: context).deliver(into: &record)
    }
}
