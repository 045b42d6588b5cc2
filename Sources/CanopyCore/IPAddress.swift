/// An IPv4 or IPv6 address, stored as 128 bits (IPv4 in the low 32 bits with ``isIPv4`` set).
package struct IPAddress: Sendable, Hashable, Comparable {
    /// The address bits; for IPv4 only the low 32 bits are used.
    package let bits: UInt128
    package let isIPv4: Bool

    package init(ipv4 value: UInt32) {
        self.bits = UInt128(value)
        self.isIPv4 = true
    }

    package init(ipv6 value: UInt128) {
        self.bits = value
        self.isIPv4 = false
    }

    /// Parses dotted-quad IPv4 or textual IPv6 (with `::`, an embedded IPv4 tail and an optional `%zone`).
    package init?(_ text: some StringProtocol) {
        var utf8 = Array(text.utf8)
        guard let parsed = utf8.withUnsafeMutableBufferPointer({ IPAddress(bytes: UnsafeBufferPointer($0)) }) else {
            return nil
        }
        self = parsed
    }

    /// Parses an address from UTF-8 bytes without allocating.
    package init?(bytes: UnsafeBufferPointer<UInt8>) {
        guard !bytes.isEmpty, bytes.count <= 64 else { return nil }
        // Dotted quads are the common case: try them first, IPv6 only for text with a colon.
        if bytes.count <= 15, let v4 = IPAddress.parseIPv4(bytes) {
            self.init(ipv4: v4)
            return
        }
        guard bytes.contains(UInt8(ascii: ":")), let v6 = IPAddress.parseIPv6(bytes) else { return nil }
        self.init(ipv6: v6)
    }

    package static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        if lhs.isIPv4 != rhs.isIPv4 { return lhs.isIPv4 }
        return lhs.bits < rhs.bits
    }

    /// Parses `a.b.c.d`; each part 0–255, at most three digits.
    package static func parseIPv4(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        let n = bytes.count
        var i = 0
        var value: UInt32 = 0
        for part in 0..<4 {
            // One to three digits, unrolled.
            guard i < n else { return nil }
            var v = UInt32(bytes[i]) &- 48
            guard v < 10 else { return nil }
            i += 1
            if i < n, case let d = UInt32(bytes[i]) &- 48, d < 10 {
                v = v * 10 + d
                i += 1
                if i < n, case let d = UInt32(bytes[i]) &- 48, d < 10 {
                    v = v * 10 + d
                    i += 1
                }
            }
            guard v <= 255 else { return nil }
            value = value << 8 | v
            if part < 3 {
                guard i < n, bytes[i] == UInt8(ascii: ".") else { return nil }
                i += 1
            }
        }
        return i == n ? value : nil
    }

    /// Parses RFC 4291 text: hex groups, one `::`, an optional dotted IPv4 tail and an ignored `%zone`.
    package static func parseIPv6(_ input: UnsafeBufferPointer<UInt8>) -> UInt128? {
        var end = input.count
        if let zone = input.firstIndex(of: UInt8(ascii: "%")) { end = zone }
        var start = 0
        if end >= 2, input[0] == UInt8(ascii: "["), input[end - 1] == UInt8(ascii: "]") {
            start = 1
            end -= 1
        }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        head.reserveCapacity(8)
        var sawDoubleColon = false
        var i = start
        if end - start >= 2, input[start] == UInt8(ascii: ":"), input[start + 1] == UInt8(ascii: ":") {
            sawDoubleColon = true
            i = start + 2
        } else if end > start, input[start] == UInt8(ascii: ":") {
            return nil
        }
        while i < end {
            // An IPv4 tail?
            var j = i
            var hasDot = false
            while j < end, input[j] != UInt8(ascii: ":") {
                if input[j] == UInt8(ascii: ".") { hasDot = true }
                j += 1
            }
            if hasDot {
                guard j == end,
                    let v4 = parseIPv4(UnsafeBufferPointer(rebasing: input[i..<end]))
                else { return nil }
                let groups = [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                if sawDoubleColon { tail += groups } else { head += groups }
                i = end
                break
            }
            let len = j - i
            guard len >= 1, len <= 4 else { return nil }
            var group: UInt16 = 0
            for k in i..<j {
                guard let h = hexValue(input[k]) else { return nil }
                group = group << 4 | UInt16(h)
            }
            if sawDoubleColon { tail.append(group) } else { head.append(group) }
            i = j
            if i < end {
                // At a colon.
                if i + 1 < end, input[i + 1] == UInt8(ascii: ":") {
                    if sawDoubleColon { return nil }
                    sawDoubleColon = true
                    i += 2
                } else {
                    i += 1
                    if i == end { return nil }
                }
            }
        }
        let total = head.count + tail.count
        if sawDoubleColon {
            guard total <= 7 else { return nil }
        } else {
            guard total == 8 else { return nil }
        }
        var groups = head
        groups += [UInt16](repeating: 0, count: 8 - total)
        groups += tail
        var value: UInt128 = 0
        for g in groups { value = value << 16 | UInt128(g) }
        return value
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: return b - 48
        case 65...70: return b - 55
        case 97...102: return b - 87
        default: return nil
        }
    }

    /// The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), or self.
    package var unmapped: IPAddress {
        if !isIPv4, bits >> 32 == 0xFFFF { return IPAddress(ipv4: UInt32(truncatingIfNeeded: bits)) }
        return self
    }

    /// Private, loopback, link-local, carrier-grade NAT, unspecified and multicast addresses: never a cloud app.
    package var isPrivateOrLocal: Bool {
        let a = unmapped
        if a.isIPv4 {
            let v = UInt32(truncatingIfNeeded: a.bits)
            let o1 = v >> 24
            let o2 = (v >> 16) & 0xFF
            if o1 == 10 || o1 == 127 || o1 == 0 { return true }
            if o1 == 172 && (16...31).contains(o2) { return true }
            if o1 == 192 && o2 == 168 { return true }
            if o1 == 169 && o2 == 254 { return true }
            if o1 == 100 && (64...127).contains(o2) { return true }
            if o1 >= 224 { return true }
            return false
        }
        let top16 = UInt16(truncatingIfNeeded: a.bits >> 112)
        if a.bits == 1 || a.bits == 0 { return true }
        if top16 & 0xFE00 == 0xFC00 { return true }  // fc00::/7 unique local
        if top16 & 0xFFC0 == 0xFE80 { return true }  // fe80::/10 link local
        if top16 & 0xFF00 == 0xFF00 { return true }  // ff00::/8 multicast
        return false
    }
}

extension IPAddress: CustomStringConvertible {
    /// Dotted quad for IPv4; RFC 5952 compressed lowercase text for IPv6.
    package var description: String {
        if isIPv4 {
            let v = UInt32(truncatingIfNeeded: bits)
            return "\(v >> 24).\((v >> 16) & 0xFF).\((v >> 8) & 0xFF).\(v & 0xFF)"
        }
        var groups = [UInt16](repeating: 0, count: 8)
        for k in 0..<8 { groups[k] = UInt16(truncatingIfNeeded: bits >> UInt128(112 - 16 * k)) }
        // Longest run of zero groups (length ≥ 2) becomes "::".
        var bestStart = -1
        var bestLen = 0
        var k = 0
        while k < 8 {
            if groups[k] == 0 {
                var e = k
                while e < 8, groups[e] == 0 { e += 1 }
                if e - k > bestLen && e - k >= 2 {
                    bestStart = k
                    bestLen = e - k
                }
                k = e
            } else {
                k += 1
            }
        }
        var out = ""
        k = 0
        while k < 8 {
            if k == bestStart {
                out += "::"
                k += bestLen
                continue
            }
            if !out.isEmpty, !out.hasSuffix(":") { out += ":" }
            out += String(groups[k], radix: 16)
            k += 1
        }
        return out
    }
}

extension IPAddress: Codable {
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = IPAddress(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an IP address")
        }
        self = value
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
