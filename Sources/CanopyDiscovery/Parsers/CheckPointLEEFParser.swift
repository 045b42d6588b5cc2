import CanopyCore

/// Check Point Log Exporter, "LEEF" format.
///
/// `LEEF:2.0|Check Point|VPN-1 & FireWall-1|1.0|Accept|cat=VPN-1 & FireWall-1<TAB>devTime=1546548320<TAB>
/// srcPort=35354<TAB>action=Accept<TAB>ifdir=inbound<TAB>origin=…<TAB>dst=…<TAB>proto=6<TAB>service=443<TAB>
/// src=…` (Check Point "Log Exporter" guide; IBM's Check Point DSM sample). Log Exporter keeps Check Point's field
/// names wherever LEEF has no predefined one and omits the optional LEEF 2.0 delimiter field (tab). The predefined
/// attributes go through ``LEEFTraffic``, the native names through ``CheckPointFields``; the action is `action`,
/// else the event id. LEEF from other vendors is not this format.
package struct CheckPointLEEFParser: LEEFTrafficParser {
    package static let descriptor = ParserDescriptor(
        id: "checkpoint.leef",
        product: "Check Point Quantum (Log Exporter, LEEF)",
        summary: "Check Point Log Exporter LEEF format (`LEEF:2.0|Check Point|<blade>|1.0|<action>|…`, tab-separated): "
            + "devTime (epoch seconds), src, dst, dstPort or service, usrName or src_user_name, resource (URL "
            + "Filtering URL), srcBytes/dstBytes or Check Point's byte counters, and the action "
            + "(Accept/Drop/Reject/Block …). Management events are counted as not traffic.",
        sample: "<134>Mar  5 10:15:01 gw-hq LEEF:2.0|Check Point|URL Filtering|1.0|Accept|cat=URL Filtering\t"
            + "devTime=1709633701\tsrcPort=51515\taction=Accept\tifdir=outbound\torigin=10.0.0.1\tdst=162.125.1.18\t"
            + "proto=6\tservice=443\tsrc=10.1.1.10\tsrc_user_name=jdoe\tresource=https://www.dropbox.com/home",
        fields: [
            "time", "net.src_ip", "user.name", "device.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "net.bytes_up", "net.bytes_down", "net.bytes_total", "event.action",
        ]
    )

    var leef = LEEFMessage()

    package init() {}

    static func isVendor(_ leef: LEEFMessage) -> Bool {
        LEEFTraffic.header(leef, 1, is: "check point") || LEEFTraffic.header(leef, 1, is: "checkpoint")
    }

    /// Connections named by the predefined attributes or Check Point's own; management events are not traffic.
    static func isTraffic(_ leef: LEEFMessage) -> Bool {
        !CheckPointFields.isManagementAction(action(leef))
            && (LEEFTraffic.carriesTraffic(leef) || CheckPointFields.carriesTraffic(leef))
    }

    /// Check Point's native field names (``CheckPointFields``) and its action words.
    static func fillVendorFields(_ r: inout TrafficRecord, from leef: LEEFMessage, context: ParseContext) -> ReasonCode?
    {
        if let reason = CheckPointFields.fill(&r, from: leef, context: context) { return reason }
        r.action = CheckPointFields.action(action(leef))
        return nil
    }

    /// The action: the `action` attribute, else the event id.
    private static func action(_ leef: LEEFMessage) -> Bytes {
        leef.value(for: "action") ?? leef.headerField(4)
    }
}
