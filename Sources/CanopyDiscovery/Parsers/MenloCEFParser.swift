import CanopyCore

/// Menlo Security (Menlo Security Isolation Platform) web logs as CEF sent to a SIEM.
///
/// The header names the vendor `Menlo Security` (product `MSIP`, as in Menlo's log API); the event's log type
/// (`web`, `dlp`, `audit`, `safemail`, `smtp` …) is its signature id or name. Web events carry the standard CEF
/// keys and go through ``CEFTraffic``; the action words include Menlo's `isolate` and `readonly` (the page was
/// served through isolation: allowed). DLP events repeat a web transaction and, like audit and e-mail events,
/// are not counted as traffic. CEF from other vendors is not this format.
package struct MenloCEFParser: CEFTrafficParser {
    package static let descriptor = ParserDescriptor(
        id: "menlo.cef",
        product: "Menlo Security Isolation Platform",
        summary: "Menlo Security web logs in CEF (`CEF:0|Menlo Security|MSIP|…|web|…`) as forwarded to a SIEM, "
            + "read with the standard CEF keys: rt, src, suser, request, dhost, dst, dpt, requestMethod, "
            + "requestClientApplication, outcome (HTTP status), in/out and act (allow, block, isolate, readonly). "
            + "DLP, audit and e-mail events are counted as not traffic.",
        sample: "<134>Jun 20 15:29:11 menlo CEF:0|Menlo Security|MSIP|2.0|web|web|5|rt=1655738951000 src=10.1.1.10 "
            + "suser=jdoe@example.com request=https://www.dropbox.com/home dhost=www.dropbox.com dst=162.125.1.18 "
            + "requestMethod=GET outcome=200 act=isolate cat=Online Storage",
        fields: CEFTraffic.fields
    )

    var cef = CEFMessage()

    package init() {}

    static func isVendor(_ cef: CEFMessage) -> Bool { CEFTraffic.header(cef, 1, is: "menlo security") }

    /// Web events; DLP, audit and e-mail events are not traffic.
    static func isTraffic(_ cef: CEFMessage) -> Bool {
        !isNonWebEvent(cef.headerField(4)) && !isNonWebEvent(cef.headerField(5)) && CEFTraffic.carriesTraffic(cef)
    }

    /// Menlo log types that are not web transactions.
    private static func isNonWebEvent(_ type: Bytes) -> Bool {
        let t = type.trimmed
        return t.equalsCaseInsensitive("dlp") || t.equalsCaseInsensitive("audit") || t.equalsCaseInsensitive("safemail")
            || t.equalsCaseInsensitive("smtp") || t.equalsCaseInsensitive("email")
            || t.equalsCaseInsensitive("attachment") || t.equalsCaseInsensitive("auth_flows")
    }
}
