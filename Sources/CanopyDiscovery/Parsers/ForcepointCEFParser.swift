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
package struct ForcepointCEFParser: BuiltinLogParser {
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
        guard ForcepointWebSecurity.isWebSecurity(vendor: cef.headerField(1), product: cef.headerField(2)) else {
            return .rejected(.notThisFormat)
        }
        guard CEFTraffic.carriesTraffic(cef) else { return .ignored(.notTraffic) }
        var record = TrafficRecord()
        if let reason = CEFTraffic.fill(&record, from: cef, line: line, context: context) { return .rejected(reason) }
        if record.time == nil, let label = cef.value(for: "deviceCustomDate1Label"),
            label.trimmed.equalsCaseInsensitive("log created time"), let raw = cef.value(for: "deviceCustomDate1")
        {
            guard let t = SIEMTimestamp.parse(raw, defaultYear: context.defaultYear) else {
                return .rejected(.badTimestamp)
            }
            record.time = t
        }
        record.user = nil
        ForcepointWebSecurity.applyUser(
            loginID: cef.string(for: "loginID"),
            userPath: cef.string(for: "suser") ?? cef.string(for: "suid"),
            to: &record
        )
        if let act = cef.value(for: "act") { record.action = ForcepointWebSecurity.action(act) }
        return CEFTraffic.finish(record)
    }
}
