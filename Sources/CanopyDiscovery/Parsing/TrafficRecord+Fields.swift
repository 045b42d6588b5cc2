package import CanopyCore

/// Setters shared by every parser, so a URL or host is treated the same way in every format.
extension TrafficRecord {
    /// Sets the destination from a URL or request target: host (lowercased; an IP literal goes to
    /// ``destinationIP``), port (explicit, or the scheme's default), and the URL itself when the context keeps
    /// detail. A host already set is kept.
    package mutating func apply(url: Bytes, context: ParseContext) {
        guard !url.isPlaceholder else { return }
        if context.capturesDetail { self.url = url.string }
        guard destinationHost == nil || destinationPort == nil, let r = URLParts.hostRange(in: url) else {
            if destinationPort == nil { destinationPort = URLParts.schemePort(in: url) }
            return
        }
        if destinationHost == nil { apply(host: url.sub(r)) }
        if destinationPort == nil { destinationPort = URLParts.port(in: url, after: r) ?? URLParts.schemePort(in: url) }
    }

    /// Sets the destination host (lowercased, trailing dot removed); an IP literal sets ``destinationIP`` instead.
    package mutating func apply(host: Bytes) {
        var h = host.trimmed
        if h.count >= 2, h[0] == UInt8(ascii: "["), h[h.count - 1] == UInt8(ascii: "]") { h = h.sub(1..<(h.count - 1)) }
        if h.count > 0, h[h.count - 1] == UInt8(ascii: ".") { h = h.sub(0..<(h.count - 1)) }
        guard !h.isPlaceholder else { return }
        let tables = symbolTables
        // A name entered before is no IP literal: those never enter the table.
        if let tables, let (id, name) = tables.pointee.hosts.find(h) {
            destinationHost = name
            symbols.host = id
            return
        }
        if let ip = IPAddress(bytes: h) {
            if destinationIP == nil { destinationIP = ip }
            return
        }
        let name = h.lowercasedString
        destinationHost = name
        if let tables, let id = tables.pointee.hosts.insert(h, string: name) { symbols.host = id }
    }

    /// Sets the user, dropping placeholders; keeps `DOMAIN\user` and `user@domain` as logged.
    package mutating func apply(user: Bytes) {
        let u = user.trimmed
        guard !u.isPlaceholder else { return }
        setUser(u)
    }

    /// Sets the user from a percent-encoded field (Squid writes `DOMAIN%5Cuser`).
    package mutating func apply(percentEncodedUser user: Bytes) {
        let u = user.trimmed
        guard !u.isPlaceholder else { return }
        if u.index(of: UInt8(ascii: "%")) == nil { setUser(u) } else { self.user = u.percentDecodedString }
    }

    /// Sets the user to `u` as logged, through the session's user table when there is one.
    @inline(__always)
    private mutating func setUser(_ u: Bytes) {
        if let tables = symbolTables, let (id, name) = tables.pointee.users.symbol(for: u, make: { $0.string }) {
            self.user = name
            symbols.user = id
        } else {
            self.user = u.string
        }
    }

    /// The symbol tables of the session filling this record (``RecordSymbols/tables``), if any.
    @inline(__always)
    private var symbolTables: UnsafeMutablePointer<FieldSymbolTables>? {
        symbols.tables?.assumingMemoryBound(to: FieldSymbolTables.self)
    }

    /// Sets the User-Agent when the context keeps detail.
    package mutating func apply(userAgent: Bytes, context: ParseContext) {
        guard context.capturesDetail, !userAgent.isPlaceholder else { return }
        self.userAgent = userAgent.string
    }

    /// Sets the method when present (upper-case as logged).
    /// Sets the byte counters from their fields: an absent or placeholder field leaves its counter unset.
    ///
    /// - Returns: false when a present field is not a decimal number (the line is rejected as `badNumber`).
    mutating func apply(bytesUp up: Bytes?, bytesDown down: Bytes?) -> Bool {
        if let up, !up.isPlaceholder {
            guard let value = up.decimal else { return false }
            bytesUp = value
        }
        if let down, !down.isPlaceholder {
            guard let value = down.decimal else { return false }
            bytesDown = value
        }
        return true
    }

    package mutating func apply(method: Bytes) {
        guard !method.isPlaceholder else { return }
        self.method = Self.commonMethod(method) ?? method.string
    }

    /// The common HTTP methods as string literals (no decoding or allocation per line).
    private static func commonMethod(_ m: Bytes) -> String? {
        switch m.count {
        case 3:
            if m.equals("GET") { return "GET" }
            if m.equals("PUT") { return "PUT" }
        case 4:
            if m.equals("POST") { return "POST" }
            if m.equals("HEAD") { return "HEAD" }
        case 5:
            if m.equals("PATCH") { return "PATCH" }
        case 6:
            if m.equals("DELETE") { return "DELETE" }
        case 7:
            if m.equals("CONNECT") { return "CONNECT" }
            if m.equals("OPTIONS") { return "OPTIONS" }
        default:
            break
        }
        return nil
    }
}

/// Maps the action words appliances log to allowed or blocked.
package enum ActionWords {
    /// `allow`, `accept`, `permit`, `pass`, `allowed`, `observed` … → allowed; `deny`, `drop`, `block`, `reject`,
    /// `reset`, `denied`, `blocked`, `quarantine` … → blocked. Case-insensitive prefix match; nil for anything else.
    package static func classify(_ word: Bytes) -> TrafficAction? {
        let w = word.trimmed
        guard w.count >= 3 else { return nil }
        let c0 = w[0] | 0x20
        let c1 = w[1] | 0x20
        let c2 = w[2] | 0x20
        switch (c0, c1, c2) {
        case (0x61, 0x6C, 0x6C), (0x61, 0x63, 0x63), (0x70, 0x65, 0x72), (0x70, 0x61, 0x73), (0x6F, 0x62, 0x73),
            (0x73, 0x74, 0x61), (0x63, 0x6C, 0x6F), (0x62, 0x75, 0x69), (0x74, 0x65, 0x61), (0x6D, 0x6F, 0x6E),
            (0x70, 0x72, 0x6F), (0x63, 0x6F, 0x6E), (0x66, 0x6F, 0x72), (0x61, 0x75, 0x74):
            // allow, accept, permit, pass, observed, start, close, built, teardown, monitor, proceed, continue,
            // forward(ed), authenticated
            return .allowed
        case (0x64, 0x65, 0x6E), (0x64, 0x72, 0x6F), (0x62, 0x6C, 0x6F), (0x72, 0x65, 0x6A), (0x72, 0x65, 0x73),
            (0x71, 0x75, 0x61), (0x63, 0x61, 0x6E), (0x66, 0x61, 0x69), (0x6B, 0x69, 0x6C), (0x69, 0x6E, 0x74),
            (0x72, 0x65, 0x64), (0x77, 0x61, 0x72), (0x64, 0x69, 0x73):
            // deny/denied, drop, block, reject, reset, quarantine, cancel, fail, kill, intercept, redirect, warn,
            // discard
            return .blocked
        default:
            return nil
        }
    }
}
