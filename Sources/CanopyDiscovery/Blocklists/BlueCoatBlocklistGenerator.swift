import CanopyCore

/// Blue Coat / Symantec ProxySG: Content Policy Language (CPL) for the local policy file.
///
/// A `define condition NAME` block lists one trigger per line (lines are ORed): `url.domain=example.com` matches
/// the domain and its subdomains on label boundaries, `url.host.exact=host` one host, and `url.address=CIDR` the
/// IP ranges of custom apps. A `<Proxy>` layer then denies `condition=NAME`. Comments start with `;`. With nothing
/// to block the file holds only comments, since a definition with no triggers is not useful CPL.
package enum BlueCoatBlocklistGenerator: BlocklistGenerator {
    package static let descriptor = BlocklistDescriptor(
        id: "bluecoat",
        product: "Blue Coat / Symantec ProxySG (CPL)",
        usage: "Append to the Local Policy file (or install it via the Management Console: Policy > Policy Files); "
            + "it defines condition NAME and a <Proxy> layer that denies it."
    )

    package static func render(_ entries: [BlocklistEntry], context: BlocklistContext) -> String {
        let rules = BlocklistRules(entries)
        let name = BlocklistRules.safeName(context.name)
        let usage = [
            "Install as (or append to) the ProxySG local policy file. It defines condition \(name) and a",
            "<Proxy> layer denying it; later layers override earlier ones, so keep it after layers that allow.",
            "url.domain= matches the domain and all its subdomains; url.host.exact= only that host.",
        ]
        var out = rules.header(descriptor, context: context, comment: ";", usage: usage)
        guard !rules.isEmpty else {
            return out + BlocklistRules.nothingToBlock(comment: ";", action: "deny")
        }
        out += "\ndefine condition \(name)\n"
        for rule in rules.hostRules {
            out += rule.includesSubdomains ? "    url.domain=\(rule.host)\n" : "    url.host.exact=\(rule.host)\n"
        }
        for range in rules.ipRanges {
            out += "    url.address=\(range)\n"
        }
        out += "end condition \(name)\n"
        out += "\n<Proxy>\n"
        out += "    condition=\(name) deny\n"
        return out
    }
}
