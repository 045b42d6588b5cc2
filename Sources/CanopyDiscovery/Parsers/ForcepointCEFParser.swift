import CanopyCore

/// Forcepoint (Websense) Web Security SIEM integration, predefined "syslog/CEF (ArcSight)" format.
///
/// Forcepoint "SIEM Solutions", *Working with SIEM integration format strings*:
/// `CEF:0|Forcepoint|Security|%<productVersion>|%<categoryNumber>|Transaction %<dispositionString>|%<severity>|
/// act=%<dispositionString> app=%<protocol> dvc=%<sourceServer> dst=%<destination> dhost=%<urlHost> dpt=%<port>
/// src=%<source> spt=%<clientSourcePort> suser=%<=userPath> loginID=%<=loginID> destinationTranslatedPort=…
/// rt=%<time> in=%<bytesReceived> out=%<bytesSent> requestMethod=%<method> requestClientApplication=%<=userAgent>
/// reason=… cs1Label=Policy cs1=… cs2Label=DynCat cs2=… cs3Label=ContentType cs3=… cn1Label=DispositionCode cn1=…
/// cn2Label=ScanDuration cn2=… request=%<=url> logRecordSource=…`. `rt` is in epoch seconds, `in` is the bytes
/// received in response (to the client) and `out` the bytes sent with the request. The user is `loginID`, else
/// the last component of the `suser` user path. `dvc` is the filtering server, not the client. Forcepoint's Cloud
/// Security Gateway export tool (`CEF:0|Forcepoint CSG|Web|…`) writes the time as `deviceCustomDate1` labelled
/// "Log Created Time" and the user as `suid`.
package struct ForcepointCEFParser: CEFTrafficParser {
    package static let descriptor = ParserDescriptor(
        id: "forcepoint.cef",
        product: "Forcepoint (Websense) Web Security",
        summary: "Forcepoint Web Security SIEM integration in the predefined CEF format of Forcepoint's \"SIEM "
            + "Solutions\" guide (`CEF:0|Forcepoint|Security|…|Transaction permitted|…`): rt (epoch seconds), src, "
            + "dst, dhost, dpt, loginID or the suser user path, request, requestMethod, requestClientApplication, "
            + "in (bytes received), out (bytes sent) and act (permitted/blocked). Also the Cloud Security Gateway "
            + "export (`Forcepoint CSG|Web`). Other Forcepoint products are not this format.",
        sample: "<159>Feb 14 16:36:56 10.10.10.121 CEF:0|Forcepoint|Security|8.5.0|148|Transaction permitted|1| "
            + "act=permitted app=https dvc=10.10.10.121 dst=162.125.1.18 dhost=www.dropbox.com dpt=443 "
            + "src=10.10.10.7 spt=65252 suser=LDAP://10.10.10.254 CN\\=Users,DC\\=corp,DC\\=local/jdoe loginID=jdoe "
            + "rt=1518655016 in=50231 out=1024 requestMethod=GET requestClientApplication=Mozilla/5.0 "
            + "cs1Label=Policy cs1=Super Administrator**Default cn1Label=DispositionCode cn1=1048 "
            + "request=https://www.dropbox.com/home",
        fields: CEFTraffic.fields
    )

    var cef = CEFMessage()

    package init() {}

    static func isVendor(_ cef: CEFMessage) -> Bool {
        ForcepointWebSecurity.isWebSecurity(vendor: cef.headerField(1), product: cef.headerField(2))
    }

    /// The Cloud Security Gateway's time (`deviceCustomDate1`), the user (`loginID`, else the user path) and the
    /// disposition words in `act`.
    static func fillVendorFields(_ r: inout TrafficRecord, from cef: CEFMessage, context: ParseContext) -> ReasonCode? {
        if r.time == nil, let label = cef.value(for: "deviceCustomDate1Label"),
            label.trimmed.equalsCaseInsensitive("log created time"), let raw = cef.value(for: "deviceCustomDate1")
        {
            guard let t = SIEMTimestamp.parse(raw, defaultYear: context.defaultYear) else { return .badTimestamp }
            r.time = t
        }
        r.user = nil
        ForcepointWebSecurity.applyUser(
            loginID: cef.string(for: "loginID"),
            userPath: cef.string(for: "suser") ?? cef.string(for: "suid"),
            to: &r
        )
        if let act = cef.value(for: "act") { r.action = ForcepointWebSecurity.action(act) }
        return nil
    }
}
