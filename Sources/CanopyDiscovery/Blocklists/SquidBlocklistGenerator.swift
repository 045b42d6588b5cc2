import CanopyCore

/// Squid: the content of a file for `acl NAME dstdomain "/path/file"`.
///
/// One name per line: `.example.com` matches the domain and every subdomain, a bare `www.example.com` only that
/// host. Squid 5 refuses a file where a domain and one of its subdomains both appear ("is a subdomain of"), so the
/// rules come from ``BlocklistRules``, which drops every entry a broader rule covers. Lines starting with `#` are
/// comments in Squid ACL files. `dstdomain` cannot hold IP ranges; the header shows a `dst` ACL for them instead.
package enum SquidBlocklistGenerator: BlocklistGenerator {
    package static let descriptor = BlocklistDescriptor(
        id: "squid",
        product: "Squid",
        usage: "Save as /etc/squid/NAME.txt; add `acl NAME dstdomain \"/etc/squid/NAME.txt\"` and "
            + "`http_access deny NAME` before your http_access allow rules, then `squid -k reconfigure`."
    )

    package static func render(_ entries: [BlocklistEntry], context: BlocklistContext) -> String {
        let rules = BlocklistRules(entries)
        let name = BlocklistRules.safeName(context.name)
        var usage = [
            "Usage in squid.conf, before your http_access allow rules:",
            "  acl \(name) dstdomain \"/etc/squid/\(name).txt\"",
            "  http_access deny \(name)",
            "A line `.example.com` matches example.com and all its subdomains; a line without the dot only that host.",
        ]
        if !rules.ipRanges.isEmpty {
            usage += [
                "IP ranges of custom apps cannot go in a dstdomain file; block them with a dst ACL:",
                "  acl \(name)_ip dst " + rules.ipRanges.map(\.description).joined(separator: " "),
                "  http_access deny \(name)_ip",
            ]
        }
        return rules.header(descriptor, context: context, comment: "#", usage: usage) + rules.leadingDotLines
    }
}
