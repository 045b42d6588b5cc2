import CanopyCore

/// Zscaler Internet Access NSS web log feed, output type "QRadar LEEF".
///
/// The format Zscaler fills in for QRadar (reproduced in Rapid7's and IBM's Zscaler NSS guides):
/// `%s{mon} %02d{dd} %02d{hh}:%02d{mm}:%02d{ss} zscaler-nss: LEEF:1.0|Zscaler|NSS|4.1|%s{reason}|cat=%s{action}
/// <TAB>devTime=%s{mon} %02d{dd} %d{yy} %02d{hh}:%02d{mm}:%02d{ss} %s{tz}<TAB>devTimeFormat=MMM dd yyyy HH:mm:ss z
/// <TAB>src=%s{cip}<TAB>dst=%s{sip}<TAB>srcPostNAT=%s{cintip}<TAB>realm=%s{location}<TAB>usrName=%s{login}
/// <TAB>srcBytes=%d{reqsize}<TAB>dstBytes=%d{respsize}<TAB>role=%s{dept}<TAB>policy=%s{reason}<TAB>url=%s{url}
/// <TAB>…<TAB>useragent=%s{ua}<TAB>referer=%s{referer}<TAB>hostname=%s{host}<TAB>appproto=%s{proto}<TAB>…
/// <TAB>reqmethod=%s{reqmethod}<TAB>respcode=%s{respcode}`. The predefined attributes go through
/// ``LEEFTraffic``; Zscaler's own are `cat` (the action), `hostname`, `reqmethod`, `respcode` and `useragent`.
package struct ZscalerNSSLEEFParser: LEEFTrafficParser {
    package static let descriptor = ParserDescriptor(
        id: "zscaler.nss_leef",
        product: "Zscaler Internet Access (NSS web feed, LEEF)",
        summary: "Zscaler NSS web log feed in the QRadar LEEF output format Zscaler publishes "
            + "(`LEEF:1.0|Zscaler|NSS|4.1|reason|cat=action<TAB>devTime=…`): devTime with devTimeFormat, src "
            + "(client), dst (server), usrName, srcBytes (request size), dstBytes (response size), url, hostname, "
            + "reqmethod, respcode, useragent and cat (Allowed/Blocked). LEEF from other products is not this format.",
        sample: "Jun 20 15:29:11 zscaler-nss: LEEF:1.0|Zscaler|NSS|4.1|Allowed|cat=Allowed\tdevTime=Jun 20 2022 "
            + "15:29:11 GMT\tdevTimeFormat=MMM dd yyyy HH:mm:ss z\tsrc=10.1.1.10\tdst=162.125.1.18\tusrName="
            + "jdoe@safemarch.com\tsrcBytes=1024\tdstBytes=50231\turl=www.dropbox.com/home\thostname=www.dropbox.com"
            + "\treqmethod=GET\trespcode=200\tuseragent=Mozilla/5.0",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url", "http.method",
            "http.status", "net.bytes_up", "net.bytes_down", "net.bytes_total", "event.action", "http.user_agent",
        ]
    )

    var leef = LEEFMessage()

    package init() {}

    static func isVendor(_ leef: LEEFMessage) -> Bool {
        LEEFTraffic.header(leef, 1, is: "zscaler") && LEEFTraffic.header(leef, 2, is: "nss")
    }

    /// `hostname`, the action in `cat`, `reqmethod`, `respcode` and `useragent`.
    static func fillVendorFields(_ r: inout TrafficRecord, from leef: LEEFMessage, context: ParseContext) -> ReasonCode?
    {
        if let host = leef.value(for: "hostname"), !host.trimmed.isPlaceholder {
            r.destinationHost = nil
            r.apply(host: host)
        }
        if let action = leef.value(for: "cat") { r.action = ActionWords.classify(action) }
        SIEMValue.withText(leef, "reqmethod") { r.apply(method: $0) }
        SIEMValue.setStatus(leef.value(for: "respcode"), in: &r)
        SIEMValue.withText(leef, "useragent") { r.apply(userAgent: $0, context: context) }
        return nil
    }
}
