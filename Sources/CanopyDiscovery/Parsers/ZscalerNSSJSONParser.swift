package import CanopyCore

/// Zscaler Internet Access NSS web log feed, output type "JSON" in the Splunk layout.
///
/// One object per line, `{"sourcetype":"zscalernss-web","event":{"datetime":"…","reason":"…","event_id":"…",
/// "protocol":"…","action":"…","transactionsize":"…","responsesize":"…","requestsize":"…","urlcategory":"…",
/// "serverip":"…","requestmethod":"…","refererURL":"…","useragent":"…","product":"NSS","location":"…",
/// "ClientIP":"…","status":"…","user":"…","url":"…","vendor":"Zscaler","hostname":"…","clientpublicIP":"…",
/// …,"deviceowner":"…","devicehostname":"…"}}` — the feed output format Zscaler documents for Splunk (NSS and
/// Cloud NSS), with an optional syslog prefix. `datetime` is `yyyy-mm-dd hh:mm:ss` in the feed's time zone (GMT
/// by default), read as UTC. Other Zscaler feeds (`zscalernss-fw`, `-dns`) are not this format; alert, audit and
/// tunnel feeds are not traffic.
package struct ZscalerNSSJSONParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "zscaler.nss_json",
        product: "Zscaler Internet Access (NSS web feed, JSON)",
        summary: "Zscaler NSS web log feed as JSON in the Splunk layout Zscaler documents "
            + "(`{\"sourcetype\":\"zscalernss-web\",\"event\":{\"datetime\":…}}`): datetime, ClientIP, user, url, "
            + "hostname, serverip, requestmethod, status, useragent, requestsize (from the client), responsesize "
            + "(to the client), transactionsize (total), action (Allowed/Blocked) and devicehostname.",
        sample:
            "{\"sourcetype\":\"zscalernss-web\",\"event\":{\"datetime\":\"2022-06-20 15:29:11\",\"reason\":\"Allowed\","
            + "\"event_id\":\"7379073205867184130\",\"protocol\":\"HTTPS\",\"action\":\"Allowed\",\"transactionsize\":"
            + "\"51255\",\"responsesize\":\"50231\",\"requestsize\":\"1024\",\"serverip\":\"162.125.1.18\","
            + "\"requestmethod\":\"GET\",\"useragent\":\"Mozilla/5.0\",\"product\":\"NSS\",\"ClientIP\":\"10.1.1.10\","
            + "\"status\":\"200\",\"user\":\"jdoe@safemarch.com\",\"url\":\"www.dropbox.com/home\","
            + "\"vendor\":\"Zscaler\",\"hostname\":\"www.dropbox.com\",\"devicehostname\":\"LAPTOP-JDOE\"}}",
        fields: [
            "time", "net.src_ip", "user.name", "device.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "http.method", "http.status", "net.bytes_up", "net.bytes_down", "net.bytes_total", "event.action",
            "http.user_agent",
        ]
    )

    private var json = FlatJSONScanner()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        guard let brace = line.index(of: UInt8(ascii: "{")) else { return .rejected(.notThisFormat) }
        guard json.scan(line.dropFirst(brace)) else { return .rejected(.badJSON) }
        if let sourceType = json.value(for: "sourcetype") {
            if sourceType.equals("zscalernss-web") {
                // The web feed.
            } else if sourceType.hasPrefix("zscalernss") {
                return sourceType.equals("zscalernss-fw") || sourceType.equals("zscalernss-dns")
                    ? .rejected(.notThisFormat) : .ignored(.notTraffic)
            } else {
                return .rejected(.notThisFormat)
            }
        } else {
            guard let vendor = json.value(for: "vendor"), vendor.equalsCaseInsensitive("zscaler"),
                json.value(for: "datetime") != nil
            else { return .rejected(.notThisFormat) }
        }
        guard let rawTime = json.value(for: "datetime"), !rawTime.isPlaceholder else { return .rejected(.badTimestamp) }
        guard let time = SIEMTimestamp.parse(rawTime, defaultYear: context.defaultYear) else {
            return .rejected(.badTimestamp)
        }
        record.time = time
        guard SIEMValue.setSource(json.value(for: "ClientIP"), in: &record),
            SIEMValue.setDestinationAddress(json.value(for: "serverip"), in: &record)
        else { return .rejected(.badAddress) }
        guard SIEMValue.setBytes(\.bytesUp, json.value(for: "requestsize"), in: &record),
            SIEMValue.setBytes(\.bytesDown, json.value(for: "responsesize"), in: &record),
            SIEMValue.setBytes(\.bytesTotal, json.value(for: "transactionsize"), in: &record)
        else { return .rejected(.badNumber) }
        SIEMValue.withText(json, "hostname") { record.apply(host: $0) }
        SIEMValue.withText(json, "url") { record.apply(url: $0, context: context) }
        SIEMValue.withText(json, "user") { record.apply(user: $0) }
        SIEMValue.withText(json, "requestmethod") { record.apply(method: $0) }
        SIEMValue.withText(json, "useragent") { record.apply(userAgent: $0, context: context) }
        SIEMValue.setStatus(json.value(for: "status"), in: &record)
        SIEMValue.setDevice(json.value(for: "devicehostname"), in: &record)
        if let action = json.value(for: "action") { record.action = ActionWords.classify(action) }
        return CEFTraffic.outcome(record)
    }
}
