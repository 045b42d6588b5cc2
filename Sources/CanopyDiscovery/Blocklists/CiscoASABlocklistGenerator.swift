import CanopyCore

/// Cisco ASA: FQDN and subnet network objects, an object group, and an ACL line that denies traffic to it.
///
/// No regular expressions: each name becomes `object network canopy-NAME` with `fqdn v4 NAME`, each IP range of a
/// custom app `object network canopy-net-…` with `subnet`; all of them go in `object-group network NAME`, and
/// `access-list NAME extended deny ip any object-group NAME` blocks it. ASA FQDN objects are resolved by the ASA
/// itself through DNS (`dns domain-lookup` and a name server must be configured) and match only the resolved
/// addresses of that exact name, not its subdomains. Object names are at most 64 characters from letters, digits
/// and `.!@#$%^&()-_{}`; longer names are shortened with a stable hash. Lines starting with `!` are comments.
/// With nothing to block the output holds only comments, because an ACL cannot reference an empty object group.
package enum CiscoASABlocklistGenerator: BlocklistGenerator {
    package static let descriptor = BlocklistDescriptor(
        id: "cisco-asa",
        product: "Cisco ASA (FQDN network objects and ACL)",
        usage: "Paste in configuration mode. Needs DNS on the ASA (dns domain-lookup, dns server-group). Insert the "
            + "deny line before the permit rules of the ACL bound to your inside interface (access-group)."
    )

    package static func render(_ entries: [BlocklistEntry], context: BlocklistContext) -> String {
        let rules = BlocklistRules(entries)
        let name = BlocklistRules.safeName(context.name, limit: 64)
        let usage = [
            "Paste in configuration mode. The ASA resolves FQDN objects itself through DNS, so configure",
            "  dns domain-lookup <interface>",
            "  dns server-group DefaultDNS",
            "   name-server <address>",
            "FQDN objects match the addresses of that exact name only: subdomains of a listed domain are not",
            "covered (use the squid, rpz or a URL-filtering format for that). fqdn v4 resolves IPv4 addresses.",
            "The ACL line denies the group; put it before the permit rules of the ACL your inside interface uses,",
            "e.g. access-list <your-acl> line 1 extended deny ip any object-group \(name).",
        ]
        var out = rules.header(descriptor, context: context, comment: "!", usage: usage)
        guard !rules.isEmpty else {
            return out + BlocklistRules.nothingToBlock(comment: "!", action: "deny")
        }
        var members: [String] = []
        for rule in rules.hostRules {
            let object = BlocklistRules.objectName(prefix: "canopy-", rule.host, limit: 64)
            members.append(object)
            out += "object network \(object)\n"
            out += " fqdn v4 \(rule.host)\n"
        }
        for range in rules.ipRanges {
            let object = BlocklistRules.objectName(prefix: "canopy-net-", BlocklistRules.rangeLabel(range), limit: 64)
            members.append(object)
            out += "object network \(object)\n"
            if range.network.isIPv4 {
                out += " subnet \(range.network) \(BlocklistRules.ipv4Netmask(prefixLength: range.prefixLength))\n"
            } else {
                out += " subnet \(range)\n"
            }
        }
        out += "object-group network \(name)\n"
        for member in members {
            out += " network-object object \(member)\n"
        }
        out += "access-list \(name) remark Canopy: unsanctioned cloud apps\n"
        out += "access-list \(name) extended deny ip any object-group \(name)\n"
        return out
    }
}
