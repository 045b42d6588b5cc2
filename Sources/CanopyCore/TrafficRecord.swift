/// One request or connection from a firewall, proxy or DNS log, normalized.
///
/// Fields a log does not carry stay `nil`: a parser never invents a value.
/// The field names in JSON are the ids of ``FieldCatalog``.
package struct TrafficRecord: Sendable, Hashable {
    package var time: Timestamp?
    package var sourceIP: IPAddress?
    package var user: String?
    package var device: String?
    package var destinationHost: String?
    package var destinationIP: IPAddress?
    package var destinationPort: Int?
    package var url: String?
    package var method: String?
    package var status: Int?
    package var bytesUp: Int64?
    package var bytesDown: Int64?
    package var bytesTotal: Int64?
    package var action: TrafficAction?
    package var userAgent: String?

    @inlinable @inline(__always) package init() {}

    /// Bytes in both directions: the total if the log gives one, else up + down.
    package var totalBytes: Int64 {
        if let bytesTotal { return bytesTotal }
        return (bytesUp ?? 0) &+ (bytesDown ?? 0)
    }
}

extension TrafficRecord: Codable {
    private enum CodingKeys: String, CodingKey {
        case time
        case sourceIP = "net.src_ip"
        case user = "user.name"
        case device = "device.name"
        case destinationHost = "net.dst_host"
        case destinationIP = "net.dst_ip"
        case destinationPort = "net.dst_port"
        case url = "http.url"
        case method = "http.method"
        case status = "http.status"
        case bytesUp = "net.bytes_up"
        case bytesDown = "net.bytes_down"
        case bytesTotal = "net.bytes_total"
        case action = "event.action"
        case userAgent = "http.user_agent"
    }
}
