/// One request or connection from a firewall, proxy or DNS log, normalized.
///
/// Fields a log does not carry stay `nil`: a parser never invents a value.
/// The field names in JSON are the ids of ``FieldCatalog``.
package struct TrafficRecord: Sendable, Hashable {
    package var time: Timestamp?
    package var sourceIP: IPAddress?
    package var user: String? { didSet { symbols.user = RecordSymbols.none } }
    package var device: String?
    package var destinationHost: String? { didSet { symbols.host = RecordSymbols.none } }
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
    /// Dense ids a parse session gave ``destinationHost`` and ``user``: not part of the record's value (equality,
    /// hashing and coding ignore it), reset whenever either field is assigned.
    package var symbols = RecordSymbols()

    @inlinable @inline(__always) package init() {}

    /// Bytes in both directions: the total if the log gives one, else up + down.
    package var totalBytes: Int64 {
        if let bytesTotal { return bytesTotal }
        return (bytesUp ?? 0) &+ (bytesDown ?? 0)
    }
}

/// The ids of a record's host and user in the symbol tables of the parse session that read it, so that the
/// snapshot aggregator can key its caches by a dense id instead of hashing the names again (docs/benchmarks.md,
/// session 14).
///
/// An id is only meaningful to the sink the session parsed for (``TrafficSink/symbols`` in CanopyDiscovery), and only
/// while the field it names holds the string the table gave it: assigning ``TrafficRecord/destinationHost`` or
/// ``TrafficRecord/user`` resets the id. Two records never differ by their symbols alone.
package struct RecordSymbols: @unchecked Sendable, Hashable {
    /// No id: the field is unset, or was set without a symbol table.
    package static let none: Int32 = -1

    package var host: Int32 = RecordSymbols.none
    package var user: Int32 = RecordSymbols.none
    /// The session's tables, while a parser fills the record; cleared before the record leaves the parse loop, so
    /// a stored record never points at them. Raw, because the tables are CanopyDiscovery's and are reached on every
    /// line without reference counting.
    package var tables: UnsafeMutableRawPointer? = nil

    @inlinable @inline(__always) package init() {}

    package static func == (lhs: RecordSymbols, rhs: RecordSymbols) -> Bool { true }
    package func hash(into hasher: inout Hasher) {}
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
