/// The documented fields a traffic parser may emit.
package enum FieldCatalog {
    /// One documented field.
    package struct Field: Sendable, Hashable {
        package let id: String
        package let summary: String
    }

    package static let traffic: [Field] = [
        Field(id: "time", summary: "When the request or connection happened (UTC)."),
        Field(id: "net.src_ip", summary: "The client's IP address."),
        Field(id: "user.name", summary: "The authenticated user, as the appliance logged it."),
        Field(id: "device.name", summary: "The client's host or device name."),
        Field(id: "net.dst_host", summary: "The destination host name (from the URL, SNI, Host header or DNS query)."),
        Field(id: "net.dst_ip", summary: "The destination IP address."),
        Field(id: "net.dst_port", summary: "The destination port."),
        Field(id: "http.url", summary: "The requested URL."),
        Field(id: "http.method", summary: "The HTTP method (or CONNECT)."),
        Field(id: "http.status", summary: "The HTTP status code the client got."),
        Field(id: "net.bytes_up", summary: "Bytes sent by the client (uploaded)."),
        Field(id: "net.bytes_down", summary: "Bytes received by the client (downloaded)."),
        Field(id: "net.bytes_total", summary: "Bytes in both directions when the log does not split them."),
        Field(id: "event.action", summary: "allowed or blocked."),
        Field(id: "http.user_agent", summary: "The client's User-Agent."),
    ]

    package static let trafficIDs: Set<String> = Set(traffic.map(\.id))
}
