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
package struct ZscalerNSSCEFParser: CEFTrafficParser {
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
        fields: CEFTraffic.fields
    )

    var cef = CEFMessage()

    package init() {}

    static func isVendor(_ cef: CEFMessage) -> Bool { CEFTraffic.header(cef, 1, is: "zscaler") }

    /// The web and firewall feeds; DNS, tunnel and audit feeds are not traffic.
    static func isTraffic(_ cef: CEFMessage) -> Bool {
        (CEFTraffic.header(cef, 2, is: "nssweblog") || CEFTraffic.header(cef, 2, is: "nssfwlog"))
            && CEFTraffic.carriesTraffic(cef)
    }

    /// The device name in `devicehostname`.
    static func fillVendorFields(_ r: inout TrafficRecord, from cef: CEFMessage, context: ParseContext) -> ReasonCode? {
        SIEMValue.setDevice(cef.value(for: "devicehostname"), in: &r)
        return nil
    }
}
