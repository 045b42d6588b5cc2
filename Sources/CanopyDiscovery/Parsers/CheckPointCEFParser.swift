import CanopyCore

/// Check Point Log Exporter, "CEF" format.
///
/// `CEF:0|Check Point|VPN-1 & FireWall-1|Check Point|Log|https|Unknown|act=Accept deviceDirection=0
/// rt=1543270652000 spt=49363 dpt=443 cs2Label=Rule Name … origin=… product=VPN-1 & FireWall-1 proto=6
/// service_id=https src=… dst=…` (Check Point "Log Exporter" guide; the product in the header is the blade that
/// logged). The standard keys go through ``CEFTraffic``; Check Point's native names that Log Exporter leaves in
/// the extension (`resource`, `src_user_name`, `service`, the byte counters) fill what is left
/// (``CheckPointFields``), and `act` takes Check Point's action words. CEF from other vendors is not this format.
package struct CheckPointCEFParser: CEFTrafficParser {
    package static let descriptor = ParserDescriptor(
        id: "checkpoint.cef",
        product: "Check Point Quantum (Log Exporter, CEF)",
        summary: "Check Point Log Exporter CEF format (`CEF:0|Check Point|<blade>|Check Point|Log|…`): rt (epoch "
            + "ms), src, dst, dpt, suser, request, in/out and act with the standard CEF keys, completed from Check "
            + "Point's own field names in the extension (resource, src_user_name, service, client inbound/outbound "
            + "bytes); Accept/Drop/Reject/Block/Prevent map to the action. Management events are not traffic.",
        sample: "<134>Mar  5 10:15:01 gw-hq CEF:0|Check Point|URL Filtering|Check Point|Log|https|Unknown|act=Accept "
            + "deviceDirection=1 rt=1709633701000 spt=51515 dpt=443 src=10.1.1.10 dst=162.125.1.18 proto=6 "
            + "product=URL Filtering service_id=https src_user_name=jdoe resource=https://www.dropbox.com/home",
        fields: [
            "time", "net.src_ip", "user.name", "device.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "http.method", "http.status", "net.bytes_up", "net.bytes_down", "net.bytes_total", "event.action",
            "http.user_agent",
        ]
    )

    var cef = CEFMessage()

    package init() {}

    static func isVendor(_ cef: CEFMessage) -> Bool {
        CEFTraffic.header(cef, 1, is: "check point") || CEFTraffic.header(cef, 1, is: "checkpoint")
    }

    /// Connections named by the standard keys or Check Point's own; management events are not traffic.
    static func isTraffic(_ cef: CEFMessage) -> Bool {
        if let action = cef.value(for: "act"), CheckPointFields.isManagementAction(action) { return false }
        return CEFTraffic.carriesTraffic(cef) || CheckPointFields.carriesTraffic(cef)
    }

    /// Check Point's native field names (``CheckPointFields``) and its action words in `act`.
    static func fillVendorFields(_ r: inout TrafficRecord, from cef: CEFMessage, context: ParseContext) -> ReasonCode? {
        if let reason = CheckPointFields.fill(&r, from: cef, context: context) { return reason }
        if let action = cef.value(for: "act") { r.action = CheckPointFields.action(action) }
        return nil
    }
}
