import CanopyCore

/// IBM QRadar LEEF 1.0 and 2.0 from any vendor, read with the predefined attributes (``LEEFTraffic``).
package struct GenericLEEFParser: LEEFTrafficParser {
    package static let descriptor = ParserDescriptor(
        id: "generic.leef",
        product: "IBM QRadar LEEF (any vendor)",
        summary: "Log Event Extended Format 1.0 (`LEEF:1.0|Vendor|Product|Version|EventID|k=v<TAB>…`) and 2.0 "
            + "(with a delimiter field: one character or its hex code such as `x5E`; tab when omitted), with or "
            + "without a syslog envelope, read with the predefined attributes of IBM's LEEF guide: devTime with "
            + "devTimeFormat, src, dst, dstPort, usrName, url, srcBytes (sent by the client), dstBytes (sent back), "
            + "totalBytes, and action. Events that name no connection are counted as not traffic.",
        sample: "LEEF:2.0|Lancope|StealthWatch|1.0|41|^|devTime=Mar 05 2024 10:15:01 UTC^devTimeFormat=MMM dd yyyy "
            + "HH:mm:ss z^src=10.1.2.3^dst=52.5.6.7^dstPort=443^usrName=alice^url=https://app.box.com/files"
            + "^srcBytes=512^dstBytes=20480^action=allow",
        fields: [
            "time", "net.src_ip", "user.name", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url",
            "net.bytes_up", "net.bytes_down", "net.bytes_total", "event.action",
        ],
        isGeneric: true
    )

    var leef = LEEFMessage()

    package init() {}

    /// Any vendor.
    static func isVendor(_ leef: LEEFMessage) -> Bool { true }
}
