/// A CIDR block such as `10.0.0.0/8` or `2001:db8::/32`.
package struct IPRange: Sendable, Hashable, Codable, CustomStringConvertible {
    package let network: IPAddress
    package let prefixLength: Int

    /// Parses `address/prefix`; a bare address is a single-host range.
    package init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let address = IPAddress(first) else { return nil }
        let width = address.isIPv4 ? 32 : 128
        var prefix = width
        if parts.count == 2 {
            guard let p = Int(parts[1]), (0...width).contains(p) else { return nil }
            prefix = p
        }
        self.init(network: address, prefixLength: prefix)
    }

    package init(network: IPAddress, prefixLength: Int) {
        let width = network.isIPv4 ? 32 : 128
        let mask = IPRange.mask(prefixLength: prefixLength, width: width)
        let masked = network.bits & mask
        self.network = network.isIPv4 ? IPAddress(ipv4: UInt32(truncatingIfNeeded: masked)) : IPAddress(ipv6: masked)
        self.prefixLength = prefixLength
    }

    /// Whether `address` lies inside this block (IPv4-mapped IPv6 addresses match IPv4 blocks).
    package func contains(_ address: IPAddress) -> Bool {
        let a = network.isIPv4 ? address.unmapped : address
        guard a.isIPv4 == network.isIPv4 else { return false }
        let width = network.isIPv4 ? 32 : 128
        return a.bits & IPRange.mask(prefixLength: prefixLength, width: width) == network.bits
    }

    package var description: String { "\(network)/\(prefixLength)" }

    private static func mask(prefixLength: Int, width: Int) -> UInt128 {
        if prefixLength <= 0 { return 0 }
        let all: UInt128 = width == 32 ? 0xFFFF_FFFF : ~0
        return all << UInt128(width - prefixLength) & all
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = IPRange(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a CIDR range")
        }
        self = value
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
