import CanopyCore

/// One side of a connection as ASA/FTD messages write it: `inside:10.0.0.5/51000`, `outside/1.2.3.4(443)`,
/// `1.2.3.4/https`, optionally followed by `(mapped/port)` and `(DOMAIN\user, sgt)` groups.
///
/// The interface name comes before the first `:` (or `/` in message 106100); addresses may be IPv6 or, when the
/// device has `names` configured, a host name; ports may be ASA port literals (`https`, `domain`).
struct CiscoASAEndpoint {
    /// What an address field held.
    enum Address {
        case ip(IPAddress)
        case name(Bytes)
    }

    var address: Address
    var port: Int?
    /// The identity-firewall user (`LOCAL\alice`) or FQDN group that followed the endpoint.
    var tag: Bytes?

    /// Why an endpoint could not be read.
    enum Failure: Error {
        case badAddress
        case badNumber
        case truncated
    }

    /// Reads `[iface:]address[/port]`; the interface, if any, is dropped.
    static func colonForm(_ token: Bytes) -> Result<CiscoASAEndpoint, Failure> {
        let t = token.trimmed
        guard !t.isEmpty else { return .failure(.truncated) }
        var addressPart = t
        var portPart: Bytes?
        if let slash = lastIndex(of: UInt8(ascii: "/"), in: t) {
            addressPart = t.sub(0..<slash)
            portPart = t.dropFirst(slash + 1)
        }
        // "outside:10.0.0.5" or a bare address (IPv6 has colons too, so try the whole first).
        if IPAddress(bytes: addressPart) == nil, let colon = addressPart.index(of: UInt8(ascii: ":")) {
            addressPart = addressPart.dropFirst(colon + 1)
        }
        return make(address: addressPart, port: portPart)
    }

    /// Reads `iface/address(port)` (message 106100).
    static func slashForm(_ token: Bytes) -> Result<CiscoASAEndpoint, Failure> {
        let t = token.trimmed
        guard let slash = t.index(of: UInt8(ascii: "/")) else { return .failure(.truncated) }
        let rest = t.dropFirst(slash + 1)
        guard let open = rest.index(of: UInt8(ascii: "(")),
            let close = rest.index(of: UInt8(ascii: ")"), from: open)
        else { return make(address: rest, port: nil) }
        var endpoint = make(address: rest.sub(0..<open), port: rest.sub((open + 1)..<close))
        // A second group is the identity-firewall user.
        let after = rest.dropFirst(close + 1)
        if case .success(var e) = endpoint, after.count > 2, after[0] == UInt8(ascii: "("),
            let end = after.index(of: UInt8(ascii: ")"))
        {
            e.tag = groupName(after.sub(1..<end))
            endpoint = .success(e)
        }
        return endpoint
    }

    private static func make(address: Bytes, port: Bytes?) -> Result<CiscoASAEndpoint, Failure> {
        let a = address.trimmed
        guard !a.isEmpty else { return .failure(.truncated) }
        let parsed: Address
        if let ip = IPAddress(bytes: a) {
            parsed = .ip(ip)
        } else if isHostName(a) {
            parsed = .name(a)
        } else {
            return .failure(.badAddress)
        }
        var number: Int?
        if let p = port?.trimmed, !p.isEmpty {
            if p.isAllDigits {
                guard let v = p.port else { return .failure(.badNumber) }
                number = v
            } else {
                number = literalPort(p)
            }
        }
        return .success(CiscoASAEndpoint(address: parsed, port: number, tag: nil))
    }

    /// The name in an identity group `(LOCAL\alice, 123)` or `(LOCAL\alice)`: the part before the comma.
    static func groupName(_ inner: Bytes) -> Bytes? {
        var g = inner.trimmed
        if let comma = g.index(of: UInt8(ascii: ",")) { g = g.sub(0..<comma).trimmed }
        if g.count >= 2, g[0] == UInt8(ascii: "'"), g[g.count - 1] == UInt8(ascii: "'") { g = g.sub(1..<(g.count - 1)) }
        return g.isPlaceholder ? nil : g
    }

    /// Whether a group names a host (FQDN) rather than a user: dots, host-name characters, no backslash.
    static func isFQDN(_ g: Bytes) -> Bool {
        g.index(of: UInt8(ascii: ".")) != nil && isHostName(g) && IPAddress(bytes: g) == nil
    }

    /// Letters, digits, `.`, `-`, `_`, with at least one letter: a name, not a mangled address.
    static func isHostName(_ b: Bytes) -> Bool {
        guard !b.isEmpty, b.count <= 253 else { return false }
        var letter = false
        for c in b {
            let lower = c | 0x20
            if lower >= 97 && lower <= 122 {
                letter = true
            } else if !(c >= 48 && c <= 57) && c != UInt8(ascii: ".") && c != UInt8(ascii: "-")
                && c != UInt8(ascii: "_")
            {
                return false
            }
        }
        return letter
    }

    /// The ASA port literals ("Port Names" in the ASA CLI guide) that messages use instead of numbers.
    static func literalPort(_ name: Bytes) -> Int? {
        for (literal, number) in portLiterals where name.count == literal.utf8CodeUnitCount {
            if name.equalsCaseInsensitive(literal) { return number }
        }
        return nil
    }

    private static let portLiterals: [(StaticString, Int)] = [
        ("ftp-data", 20), ("ftp", 21), ("ssh", 22), ("telnet", 23), ("smtp", 25), ("domain", 53),
        ("bootps", 67), ("bootpc", 68), ("tftp", 69), ("http", 80), ("www", 80), ("kerberos", 88),
        ("pop3", 110), ("sunrpc", 111), ("ident", 113), ("nntp", 119), ("ntp", 123), ("netbios-ns", 137),
        ("netbios-dgm", 138), ("netbios-ssn", 139), ("imap4", 143), ("snmp", 161), ("snmptrap", 162),
        ("bgp", 179), ("ldap", 389), ("https", 443), ("isakmp", 500), ("syslog", 514), ("rtsp", 554),
        ("ldaps", 636), ("lotusnotes", 1352), ("sqlnet", 1521), ("h323", 1720), ("pptp", 1723),
        ("citrix-ica", 1494), ("sip", 5060), ("aol", 5190),
    ]

    private static func lastIndex(of byte: UInt8, in b: Bytes) -> Int? {
        var i = b.count - 1
        while i >= 0 {
            if b[i] == byte { return i }
            i -= 1
        }
        return nil
    }
}
