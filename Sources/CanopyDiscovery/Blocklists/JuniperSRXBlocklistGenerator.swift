import CanopyCore

/// Juniper SRX: Junos `set` commands for local web filtering (UTM `juniper-local`) with a custom URL category.
///
/// Why web filtering and not `address-book … dns-name`: a `dns-name` address entry resolves one exact name to IP
/// addresses on the SRX, so it cannot cover subdomains and blocks by addresses that CDNs and SaaS front ends share
/// with other sites. A `url-pattern` in a custom URL category is matched against the requested host (HTTP Host, TLS
/// SNI), supports a leading `*` for subdomains, and local web filtering needs no licence or category server.
/// Suffix rules are written as `example.com` and `*.example.com` (Junos 20.4R1+ pattern syntax; `*` matches zero or
/// more leading labels), exact hosts as the bare name. IP ranges of custom apps become global address-book entries in
/// an address set. Zone names and policy order are site-specific, so the security-policy part is a commented snippet
/// to edit. Lines starting with `#` are comments in `load set` files. With nothing to block the output holds only
/// comments, because a URL pattern needs at least one value.
package enum JuniperSRXBlocklistGenerator: BlocklistGenerator {
    package static let descriptor = BlocklistDescriptor(
        id: "juniper-srx",
        product: "Juniper SRX (Junos set commands, UTM local web filtering)",
        usage: "`load set terminal` (or `load set FILE`) in configuration mode, then attach utm-policy NAME to your "
            + "outbound permit policy as the commented snippet shows, and commit."
    )

    package static func render(_ entries: [BlocklistEntry], context: BlocklistContext) -> String {
        let rules = BlocklistRules(entries)
        // Junos UTM profile and object names are at most 29 characters.
        let name = BlocklistRules.safeName(context.name, limit: 29)
        let usage = [
            "Load in configuration mode with `load set terminal` (or `load set <file>`), then commit.",
            "Blocks by requested host name with UTM local web filtering (juniper-local: no licence needed):",
            "url-pattern -> custom-url-category -> web-filtering profile (action block) -> utm-policy \(name).",
            "Chosen over `address-book ... dns-name`, which resolves one exact name to shared CDN addresses",
            "and cannot cover subdomains. Wildcard patterns need Junos 20.4R1 or later.",
        ]
        var out = rules.header(descriptor, context: context, comment: "#", usage: usage)
        guard !rules.isEmpty else {
            return out + BlocklistRules.nothingToBlock(comment: "#", action: "block")
        }
        let hosts = rules.hostRules
        if !hosts.isEmpty {
            let base = "set security utm custom-objects"
            for pattern in rules.wildcardPatterns {
                out += "\(base) url-pattern \(name) value \"\(pattern)\"\n"
            }
            out += "\(base) custom-url-category \(name) value \(name)\n"
            out += "set security utm default-configuration web-filtering type juniper-local\n"
            let profile = "set security utm feature-profile web-filtering juniper-local profile \(name)"
            out += "\(profile) category \(name) action block\n"
            out += "\(profile) default permit\n"
            out += "set security utm utm-policy \(name) web-filtering http-profile \(name)\n"
        }
        let addressSet = BlocklistRules.safeName(name + "_ip", limit: 63)
        for range in rules.ipRanges {
            let object = BlocklistRules.objectName(prefix: "canopy-net-", BlocklistRules.rangeLabel(range), limit: 63)
            out += "set security address-book global address \(object) \(range)\n"
            out += "set security address-book global address-set \(addressSet) address \(object)\n"
        }
        out += "#\n# Policy snippet: edit the zones and the policy name, and keep the order of your rule base.\n"
        if !hosts.isEmpty {
            out += "# Attach the web filter to your existing outbound permit policy:\n"
            out +=
                "#   set security policies from-zone trust to-zone untrust policy <internet-access> then permit "
                + "application-services utm-policy \(name)\n"
        }
        if !rules.ipRanges.isEmpty {
            let policy = "set security policies from-zone trust to-zone untrust policy \(addressSet)"
            out += "# Deny the IP ranges of custom apps, placed before that permit policy:\n"
            out += "#   \(policy) match source-address any destination-address \(addressSet) application any\n"
            out += "#   \(policy) then deny\n"
            out +=
                "#   insert security policies from-zone trust to-zone untrust policy \(addressSet) "
                + "before policy <internet-access>\n"
        }
        return out
    }
}
