import CanopyCore

/// A DNS Response Policy Zone (draft-vixie-dnsop-dns-rpz, as BIND, Unbound, PowerDNS and Knot implement it): a
/// complete zone file with `$TTL`, SOA and NS.
///
/// Every suffix rule gives `example.com CNAME .` and `*.example.com CNAME .` (the NXDOMAIN action for the domain and
/// all its subdomains); an exact host gives only its own record. IP ranges of custom apps become response-IP triggers
/// (`24.0.2.0.192.rpz-ip CNAME .`), which block any answer that contains an address in the range. Owner names are
/// relative, so the zone loads under whatever name the server gives it (e.g. `rpz.canopy`). The SOA serial comes from
/// the generation time (`YYYYMMDDHH`). Comments start with `;`.
package enum RPZBlocklistGenerator: BlocklistGenerator {
    package static let descriptor = BlocklistDescriptor(
        id: "rpz",
        product: "DNS Response Policy Zone (BIND, Unbound, PowerDNS, Knot)",
        usage: "BIND: zone \"rpz.canopy\" { type primary; file \"FILE\"; allow-query { none; }; }; and "
            + "options { response-policy { zone \"rpz.canopy\"; }; };. Names answer NXDOMAIN."
    )

    /// Owner names are relative to the zone name, which the server chooses; keep 64 octets for it (names are at
    /// most 255 octets on the wire).
    static let maximumHostLength = 255 - 64 - 4

    package static func render(_ entries: [BlocklistEntry], context: BlocklistContext) -> String {
        let rules = BlocklistRules(entries)
        let hosts = rules.hostRules.filter { $0.host.utf8.count <= maximumHostLength }
        var usage = [
            "Load as a response policy zone; with BIND (named.conf):",
            "  zone \"rpz.canopy\" { type primary; file \"/etc/bind/db.rpz.canopy\"; allow-query { none; }; };",
            "  options { response-policy { zone \"rpz.canopy\"; }; };",
            "Check with: named-checkzone rpz.canopy <file>",
            "`name CNAME .` answers NXDOMAIN; `*.name CNAME .` does the same for every subdomain.",
        ]
        let skipped = rules.hostRules.count - hosts.count
        if skipped > 0 { usage.append("\(skipped) names too long for an RPZ owner name were left out.") }
        var out = rules.header(descriptor, context: context, comment: ";", usage: usage)
        out += "$TTL 300\n"
        out += "@ IN SOA localhost. hostmaster.localhost. ( \(serial(context.generatedAt)) 3600 600 604800 300 )\n"
        out += "@ IN NS localhost.\n"
        for rule in hosts {
            out += "\(rule.host) CNAME .\n"
            if rule.includesSubdomains { out += "*.\(rule.host) CNAME .\n" }
        }
        for range in rules.ipRanges {
            out += "\(responseIPTrigger(range)) CNAME .\n"
        }
        return out
    }

    /// `YYYYMMDDHH` from an ISO 8601 time (fits the unsigned 32-bit serial), or 1 when it cannot be read.
    static func serial(_ generatedAt: String) -> UInt32 {
        let digits = generatedAt.unicodeScalars.prefix(13).filter { ("0"..."9").contains($0) }
        guard digits.count == 10, let value = UInt32(String(String.UnicodeScalarView(digits))) else { return 1 }
        return value
    }

    /// The rpz-ip owner name of a range: prefix length, then the address in reverse order — IPv4 octets, or IPv6
    /// 16-bit words in lowercase hex with the longest run (≥ 2) of zero words written `zz`, as the draft requires.
    static func responseIPTrigger(_ range: IPRange) -> String {
        var labels: [String] = []
        if range.network.isIPv4 {
            let v = UInt32(truncatingIfNeeded: range.network.bits)
            labels = [v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF, v >> 24].map { String($0) }
        } else {
            let words = (0..<8).map { UInt16(truncatingIfNeeded: range.network.bits >> UInt128(112 - 16 * $0)) }
            // Longest run of zero words, the leftmost on a tie (RFC 5952), only if at least two long.
            var best = (start: -1, length: 0)
            var i = 0
            while i < 8 {
                guard words[i] == 0 else {
                    i += 1
                    continue
                }
                var end = i
                while end < 8, words[end] == 0 { end += 1 }
                if end - i > best.length { best = (i, end - i) }
                i = end
            }
            var forward: [String] = []
            i = 0
            while i < 8 {
                if best.length >= 2, i == best.start {
                    forward.append("zz")
                    i += best.length
                } else {
                    forward.append(String(words[i], radix: 16))
                    i += 1
                }
            }
            labels = forward.reversed()
        }
        return "\(range.prefixLength)." + labels.joined(separator: ".") + ".rpz-ip"
    }
}
