import CanopyCore

/// ArcSight Common Event Format from any vendor, read with the standard extension dictionary (``CEFTraffic``).
package struct GenericCEFParser: CEFTrafficParser {
    package static let descriptor = ParserDescriptor(
        id: "generic.cef",
        product: "ArcSight CEF (any vendor)",
        summary: "Common Event Format, `CEF:0|Vendor|Product|Version|ID|Name|Severity|k=v …`, with or without a "
            + "syslog envelope, read with the standard extension dictionary of the ArcSight \"Implementing ArcSight "
            + "CEF\" guide: rt/start/end, src/c6a2, dst/c6a3, dpt, dhost, request, requestMethod, "
            + "requestClientApplication, suser, shost, outcome (HTTP status), act, in (bytes to the client) and out "
            + "(bytes from the client). Events that name no connection are counted as not traffic.",
        sample: "<134>Mar  5 10:15:02 proxy01 CEF:0|Trend Micro|Web Security|6.5|100000|Access Log|1|"
            + "rt=Mar 05 2024 10:15:01 +0000 src=10.1.2.3 suser=alice dst=52.5.6.7 dhost=app.box.com dpt=443 "
            + "requestMethod=GET request=https://app.box.com/files act=allow in=20480 out=512",
        fields: CEFTraffic.fields,
        isGeneric: true
    )

    var cef = CEFMessage()

    package init() {}

    /// Any vendor.
    static func isVendor(_ cef: CEFMessage) -> Bool { true }
}
