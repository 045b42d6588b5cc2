import CanopyCore

/// Sets a record's destination from a `host[:port]` authority: a Host header, a virtual host, W3C `cs-host`.
///
/// ``TrafficRecord/apply(host:)`` takes a bare host; web logs often write the port after it (`www.example.org:443`,
/// `[2001:db8::1]:8080`), and a bare IPv6 address has colons of its own.
enum WebAuthority {
    /// Sets the destination host (or IP) and port, keeping values already set.
    static func apply(_ authority: Bytes, to record: inout TrafficRecord) {
        let a = authority.trimmed
        guard !a.isPlaceholder else { return }
        if let ip = IPAddress(bytes: a) {
            if record.destinationIP == nil { record.destinationIP = ip }
            return
        }
        guard let host = URLParts.hostRange(in: a) else { return }
        if record.destinationHost == nil { record.apply(host: a.sub(host)) }
        if record.destinationPort == nil, let port = URLParts.port(in: a) { record.destinationPort = port }
    }
}
