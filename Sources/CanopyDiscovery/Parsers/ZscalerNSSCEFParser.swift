import CanopyCore

/// Zscaler Internet Access NSS web log feed, output type "ArcSight CEF".
///
/// Zscaler's CEF web feed format (`CEF:0|Zscaler|NSSWeblog|5.0|%s{action}|%s{reason}|3|act=%s{action}
/// app=%s{proto} cat=%s{urlcat} dhost=%s{ehost} dst=%s{sip} src=%s{cip} in=%d{respsize} outcome=%s{respcode}
/// out=%d{reqsize} request=%s{eurl} rt=%s{mon} %02d{dd} %d{yy} %02d{hh}:%02d{mm}:%02d{ss} …
/// requestClientApplication=%s{ua} requestMethod=%s{reqmethod} suser=%s{login} …`) uses the standard CEF keys,
/// so ``CEFTraffic`` reads it whole; `in` is the response size and `out` the request size. The firewall feed
/// (`NSSFWlog`) has the same keys and is read too; Zscaler's DNS, tunnel and audit feeds are not traffic.
/// CEF from other vendors is not this format.
package struct ZscalerNSSCEFParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "zscaler.nss_cef",
        product: "Zscaler Internet Access (NSS web feed, CEF)",
        summary: "Zscaler NSS web log feed in the ArcSight CEF output format Zscaler publishes "
            + "(`CEF:0|Zscaler|NSSWeblog|…`): rt, src (client), dst (server), dhost, request (URL without scheme), "
            + "requestMethod, requestClientApplication, suser, outcome (HTTP status), in (response size, to the "
            + "client), out (request size, from the client) and act (Allowed/Blocked). The NSSFWlog firewall feed "
            + "is read too; DNS, tunnel and audit feeds are counted as not traffic.",
        sample: "Jun 20 15:29:11 zscaler-nss CEF:0|Zscaler|NSSWeblog|5.0|Allowed|Allowed|3|act=Allowed app=HTTPS "
            + "cat=Online Storage dhost=www.dropbox.com dst=162.125.1.18 src=10.1.1.10 in=50231 outcome=200 out=1024 "
            + "request=www.dropbox.com/home rt=Jun 20 2022 15:29:11 requestClientApplication=Mozilla/5.0 "
            + "requestMethod=GET suser=jdoe@safemarch.com",
        fields: [
            "time", "net.src_ip", "user.name", "device.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "http.method", "http.status", "net.bytes_up", "net.bytes_down", "event.action", "http.user_agent",
        ]
    )

    private var cef = CEFMessage()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext) -> ParseResult {
        guard cef.parse(line) else {
            return .rejected(line.index(of: "CEF:") == nil ? .notThisFormat : .truncated)
        }
        guard CEFTraffic.header(cef, 1, is: "zscaler") else { return .rejected(.notThisFormat) }
        guard CEFTraffic.header(cef, 2, is: "nssweblog") || CEFTraffic.header(cef, 2, is: "nssfwlog"),
            CEFTraffic.carriesTraffic(cef)
        else { return .ignored(.notTraffic) }
        var record = TrafficRecord()
        if let reason = CEFTraffic.fill(&record, from: cef, line: line, context: context) { return .rejected(reason) }
        SIEMValue.setDevice(cef.value(for: "devicehostname"), in: &record)
        return CEFTraffic.finish(record)
    }
}
