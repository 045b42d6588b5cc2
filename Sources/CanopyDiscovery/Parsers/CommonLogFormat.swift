import CanopyCore

/// The Common Log Format (CERN/NCSA httpd) shape shared by `squid.common` and `apache.combined`:
/// `host ident authuser [dd/Mon/yyyy:hh:mm:ss ±zone] "METHOD target HTTP/x.y" status bytes`, which the combined
/// format follows with `"referer" "user-agent"` and Apache's vhost formats precede with the virtual host.
///
/// The request target gives the destination when it is absolute (`http://host/…`, a forward proxy) or a CONNECT
/// authority (`host:443`); an origin-form path (`/index.html`) is kept as the URL and names no destination.
enum CommonLogFormat {
    /// How the client field may be written.
    enum Client {
        /// An IP address only (Squid `%>a`).
        case address
        /// An IP address or, with Apache `HostnameLookups On`, the client's host name (kept as the device).
        case addressOrHostName
    }

    /// The index of the `[time]` field: 3 in CLF, 4 when a virtual host is logged first; nil if neither.
    static func timeIndex(_ fields: FieldSplitter, in line: Bytes) -> Int? {
        for i in 3...4 where i < fields.count {
            let start = fields.range(i).lowerBound
            if start > 0, start <= line.count, line[start - 1] == UInt8(ascii: "[") { return i }
        }
        return nil
    }

    /// Fills `r` (empty on entry) from the seven CLF fields that start at `first`: client, ident (unused), user,
    /// time, request, status and bytes sent to the client (down). The destination is not checked: callers may add
    /// one.
    ///
    /// - Parameters:
    ///   - fields: the line split with `splitWhitespace(_:quoted: true)`.
    ///   - line: the line.
    ///   - r: the record to fill.
    ///   - first: the index of the client field (1 when a virtual host comes first).
    ///   - clientKind: what the client field may hold.
    ///   - percentEncodedUser: whether the user field is percent-encoded (Squid `%[un`).
    ///   - context: settings of the input.
    /// - Returns: `.record`, or why the line was rejected.
    static func record(
        _ fields: FieldSplitter,
        in line: Bytes,
        into r: inout TrafficRecord,
        first: Int,
        client clientKind: Client,
        percentEncodedUser: Bool,
        context: ParseContext
    ) -> LineOutcome {
        let client = fields.field(first, in: line)
        if !client.isPlaceholder {
            if let ip = IPAddress(bytes: client) {
                r.sourceIP = ip
            } else if clientKind == .addressOrHostName, isHostName(client) {
                r.device = client.lowercasedString
            } else {
                return .rejected(.badAddress)
            }
        }
        let user = fields.field(first + 2, in: line)
        if percentEncodedUser { r.apply(percentEncodedUser: user) } else { r.apply(user: user) }
        guard let time = TimeParsing.clf(fields.field(first + 3, in: line)) else { return .rejected(.badTimestamp) }
        r.time = time
        let status = fields.field(first + 5, in: line)
        if !status.isPlaceholder {
            guard status.isAllDigits else { return .rejected(.badNumber) }
            r.status = status.httpStatus
        }
        let bytes = fields.field(first + 6, in: line)
        if !bytes.isPlaceholder {
            guard let n = bytes.decimal else { return .rejected(.badNumber) }
            r.bytesDown = n
        }
        if let (method, target) = requestLine(fields.field(first + 4, in: line)) {
            r.apply(method: method)
            if method.equals("CONNECT") || target.index(of: "://") != nil || target[0] == UInt8(ascii: "/") {
                r.apply(url: target, context: context)
            }
        }
        return .record
    }

    /// `METHOD target [HTTP/x.y]`; nil for `-`, an empty request or bytes that are not a request line.
    static func requestLine(_ b: Bytes) -> (method: Bytes, target: Bytes)? {
        guard let space = b.index(of: 32), space > 0 else { return nil }
        let method = b.sub(0..<space)
        for c in method {
            let isToken = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 45 || c == 95
            guard isToken else { return nil }
        }
        var s = space + 1
        while s < b.count, b[s] == 32 { s += 1 }
        var e = s
        while e < b.count, b[e] != 32 { e += 1 }
        guard e > s else { return nil }
        return (method, b.sub(s..<e))
    }

    /// Letters, digits, dots and hyphens with at least one letter: a DNS name, not a mangled address.
    private static func isHostName(_ b: Bytes) -> Bool {
        var hasLetter = false
        for c in b {
            if (c >= 65 && c <= 90) || (c >= 97 && c <= 122) {
                hasLetter = true
            } else if !((c >= 48 && c <= 57) || c == 46 || c == 45 || c == 95) {
                return false
            }
        }
        return hasLetter
    }
}
