import CanopyCore

/// Forcepoint (Websense) Web Security SIEM integration, predefined "syslog/LEEF (QRadar)" format.
///
/// `<159>Jul 16 16:37:26 host LEEF:1.0|Forcepoint|Security|%<productVersion>|transaction:%<dispositionString>|
/// sev=…<TAB>cat=%<categoryNumber><TAB>usrName=%<=userPath><TAB>loginID=%<=loginID><TAB>src=%<source>
/// <TAB>srcPort=…<TAB>srcBytes=%<bytesSent><TAB>dstBytes=%<bytesReceived><TAB>dst=%<destination><TAB>dstPort=…
/// <TAB>proxyStatus-code=…<TAB>serverStatus-code=…<TAB>duration=…<TAB>method=…<TAB>disposition=…
/// <TAB>contentType=…<TAB>reason=…<TAB>policy=…<TAB>role=…<TAB>userAgent=…<TAB>url=…` (Forcepoint "SIEM
/// Solutions" guide; IBM's Forcepoint DSM sample). There is no `devTime`: the time is the syslog envelope's, in
/// the year of the context. The action is the event id after `transaction:`; the status is `proxyStatus-code`,
/// what the proxy answered the client. `cat` is a category number, not an action.
package struct ForcepointLEEFParser: LEEFTrafficParser {
    package static let descriptor = ParserDescriptor(
        id: "forcepoint.leef",
        product: "Forcepoint (Websense) Web Security",
        summary: "Forcepoint Web Security SIEM integration in the predefined LEEF format "
            + "(`LEEF:1.0|Forcepoint|Security|…|transaction:blocked|…`): syslog envelope time, src, dst, dstPort, "
            + "loginID or the usrName user path, srcBytes (sent), dstBytes (received), proxyStatus-code, method, "
            + "userAgent, url and the transaction disposition (permitted/blocked).",
        sample: "<159>Jul 16 16:37:26 wsg01 LEEF:1.0|Forcepoint|Security|8.5.3|transaction:permitted|sev=1\tcat=148\t"
            + "usrName=LDAP://10.0.0.2 OU=Sales,DC=corp,DC=local/jdoe\tloginID=jdoe\tsrc=10.1.1.10\tsrcPort=51515\t"
            + "srcBytes=1024\tdstBytes=50231\tdst=162.125.1.18\tdstPort=443\tproxyStatus-code=200\t"
            + "serverStatus-code=200\tmethod=GET\tdisposition=1048\tuserAgent=Mozilla/5.0\t"
            + "url=https://www.dropbox.com/home",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url", "http.method",
            "http.status", "net.bytes_up", "net.bytes_down", "net.bytes_total", "event.action", "http.user_agent",
        ]
    )

    var leef = LEEFMessage()

    package init() {}

    static func isVendor(_ leef: LEEFMessage) -> Bool {
        ForcepointWebSecurity.isWebSecurity(vendor: leef.headerField(1), product: leef.headerField(2))
    }

    /// The user (`loginID`, else the user path), the disposition in the event id, `method`, `userAgent` and
    /// `proxyStatus-code`.
    static func fillVendorFields(_ r: inout TrafficRecord, from leef: LEEFMessage, context: ParseContext) -> ReasonCode?
    {
        r.user = nil
        ForcepointWebSecurity.applyUser(
            loginID: leef.string(for: "loginID"),
            userPath: leef.string(for: "usrName"),
            to: &r
        )
        r.action = ForcepointWebSecurity.action(leef.headerField(4))
        SIEMValue.withText(leef, "method") { r.apply(method: $0) }
        SIEMValue.withText(leef, "userAgent") { r.apply(userAgent: $0, context: context) }
        SIEMValue.setStatus(leef.value(for: "proxyStatus-code"), in: &r)
        return nil
    }
}
