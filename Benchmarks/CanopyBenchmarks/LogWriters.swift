import CanopyCore

/// Writes requests as lines of one log format, following the same documented layouts as the parsers' fixtures.
enum LogFormat: String, CaseIterable {
    case squid, combined, panos, fortigate, zscaler, cef, w3c, zeek

    /// The parser that must read this output.
    var parserID: String {
        switch self {
        case .squid: "squid.native"
        case .combined: "apache.combined"
        case .panos: "paloalto.traffic"
        case .fortigate: "fortinet.fortigate"
        case .zscaler: "zscaler.nss_csv"
        case .cef: "generic.cef"
        case .w3c: "w3c.extended"
        case .zeek: "zeek.ssl_tsv"
        }
    }

    /// Lines that open the file (headers), if the format has them.
    var header: String {
        switch self {
        case .w3c:
            "#Software: Canopy benchmark generator\n#Version: 1.0\n"
                + "#Fields: date time c-ip cs-username cs-method cs-host cs-uri-stem cs-uri-query sc-status sc-bytes "
                + "cs-bytes cs(User-Agent) s-action\n"
        case .zeek:
            "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tssl\n"
                + "#open\t2026-01-01-00-00-00\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tversion\t"
                + "cipher\tcurve\tserver_name\tresumed\tlast_alert\tnext_protocol\testablished\n#types\ttime\tstring\t"
                + "addr\tport\taddr\tport\tstring\tstring\tstring\tstring\tbool\tstring\tstring\tbool\n"
        default: ""
        }
    }

    func line(_ r: Workload.Request, index: Int) -> String {
        let t = Timestamp(secondsSinceEpoch: r.time)
        let c = t.civil
        let ms = pad(r.milliseconds, 3)
        let isIP = r.host.first.map { $0.isNumber } ?? false
        let scheme = r.secure ? "https" : "http"
        let url = r.secure && r.method == "GET" && index % 3 == 0 ? "\(r.host):443" : "\(scheme)://\(r.host)\(r.path)"
        let user = r.user ?? "-"
        switch self {
        case .squid:
            let code =
                r.blocked ? "TCP_DENIED/403" : (url.hasSuffix(":443") ? "TCP_TUNNEL/200" : "TCP_MISS/\(r.status)")
            let method = url.hasSuffix(":443") ? "CONNECT" : r.method
            let hier = r.blocked ? "HIER_NONE/-" : "HIER_DIRECT/\(isIP ? r.host : r.serverIP)"
            return "\(r.time).\(ms) \(pad(5 + r.milliseconds % 900, 6, " ")) \(r.clientIP) \(code) \(r.bytesDown) "
                + "\(method) \(url) \(user) \(hier) text/html"
        case .combined:
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            let date =
                "\(pad(c.day, 2))/\(months[c.month - 1])/\(c.year):\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)) +0000"
            let target = url.hasSuffix(":443") ? "CONNECT \(url)" : "\(r.method) \(url)"
            return "\(r.clientIP) - \(user) [\(date)] \"\(target) HTTP/1.1\" \(r.status) \(r.bytesDown) \"-\" "
                + "\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36\""
        case .panos:
            let ts =
                "\(c.year)/\(pad(c.month, 2))/\(pad(c.day, 2)) \(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
            let dst = isIP ? r.host : r.serverIP
            let action = r.blocked ? "deny" : "allow"
            let panUser = r.user.map { "corp\\\($0)" } ?? ""
            return "1,\(ts),013201001234,TRAFFIC,end,2561,\(ts),\(r.clientIP),\(dst),203.0.113.7,\(dst),allow-web,"
                + "\(panUser),,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,fwd,\(ts),\(33000 + index % 1000),1,"
                + "\(40000 + index % 20000),\(r.port),40112,\(r.port),0x40001c,tcp,\(action),"
                + "\(r.bytesUp + r.bytesDown),\(r.bytesUp),\(r.bytesDown),12,\(ts),3,computer-and-internet-info,,"
                + "\(7_668_167_892_928_932_982 + index),0x0,10.0.0.0-10.255.255.255,United States,,6,6,tcp-fin"
        case .fortigate:
            let date = "\(c.year)-\(pad(c.month, 2))-\(pad(c.day, 2))"
            let time = "\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
            let dst = isIP ? r.host : r.serverIP
            let hostPart = isIP ? "" : " hostname=\"\(r.host)\""
            let userPart = r.user.map { " user=\"\($0)\"" } ?? ""
            return
                "date=\(date) time=\(time) devname=\"FGT60F\" devid=\"FGT60FTK2109ABCD\" eventtime=\(r.time)\(ms)000000 "
                + "tz=\"+0000\" logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" level=\"notice\" vd=\"root\" "
                + "srcip=\(r.clientIP) srcport=\(40000 + index % 20000) srcintf=\"internal\" dstip=\(dst) "
                + "dstport=\(r.port) dstintf=\"wan1\" sessionid=\(index) proto=6 action=\"\(r.blocked ? "deny" : "close")\" "
                + "policyid=3 service=\"HTTPS\"\(hostPart) duration=4 sentbyte=\(r.bytesUp) rcvdbyte=\(r.bytesDown) "
                + "sentpkt=12 rcvdpkt=14\(userPart)"
        case .zscaler:
            let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            let weekday = days[Int((r.time / 86_400) % 7)]
            let date =
                "\(weekday) \(months[c.month - 1]) \(pad(c.day, 2)) \(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)) \(c.year)"
            let zuser = r.user.map { "\($0)@acme.example" } ?? "None"
            let dst = isIP ? r.host : r.serverIP
            return "\"\(date)\",\"\(zuser)\",\"\(r.secure ? "HTTPS" : "HTTP")\",\"\(r.host)\(r.path)\","
                + "\"\(r.blocked ? "Blocked" : "Allowed")\",\"General Browsing\",\"Business Use\",\"\(r.bytesUp)\","
                + "\"\(r.bytesDown + r.bytesUp)\",\"0\",\"0\",\"Business Use\",\"Information Technology\","
                + "\"Web Search\",\"None\",\"None\",\"0\",\"None\",\"None\",\"HQ\",\"Sales\",\"\(r.clientIP)\","
                + "\"\(dst)\",\"\(r.method)\",\"\(r.status)\",\"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\",\"None\","
                + "\"None\",\"None\",\"text/html\",\"None\",\"\(r.user ?? "None")\",\"LAPTOP-\(index % 500)\",\"N/A\""
        case .cef:
            let dst = isIP ? r.host : r.serverIP
            let userPart = r.user.map { " suser=\($0)" } ?? ""
            let hostPart = isIP ? "" : " dhost=\(r.host)"
            return "CEF:0|Acme|Secure Web Gateway|2.1|100|Access|1|rt=\(r.time)\(ms) src=\(r.clientIP)\(userPart) "
                + "dst=\(dst)\(hostPart) dpt=\(r.port) requestMethod=\(r.method) request=\(scheme)://\(r.host)\(r.path) "
                + "act=\(r.blocked ? "blocked" : "allowed") in=\(r.bytesDown) out=\(r.bytesUp) outcome=\(r.status)"
        case .w3c:
            let date = "\(c.year)-\(pad(c.month, 2))-\(pad(c.day, 2))"
            let time = "\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
            return "\(date) \(time) \(r.clientIP) \(user) \(r.method) \(r.host) \(r.path) - \(r.status) \(r.bytesDown) "
                + "\(r.bytesUp) Mozilla/5.0+(Windows+NT+10.0) \(r.blocked ? "TCP_DENIED" : "TCP_MISS")"
        case .zeek:
            let sni = isIP ? "-" : r.host
            let dst = isIP ? r.host : r.serverIP
            return
                "\(r.time).\(ms)123\tC\(String(index, radix: 36))x\t\(r.clientIP)\t\(40000 + index % 20000)\t\(dst)\t"
                + "\(r.port)\tTLSv13\tTLS_AES_128_GCM_SHA256\tx25519\t\(sni)\tF\t-\th2\tT"
        }
    }
}

private func pad(_ v: Int, _ width: Int, _ fill: Character = "0") -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: fill, count: width - s.count) + s
}
