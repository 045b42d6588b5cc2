/// Palo Alto Networks PAN-OS: an External Dynamic List of type Domain List.
///
/// PAN-OS 9.0+ domain-list rules: one domain per line, no protocol, `*` only as a whole leading token. A plain
/// `example.com` matches that domain (and its subdomains only when the EDL has "Automatically expand to include
/// subdomains" turned on); `*.example.com` matches one or more subdomain levels but not `example.com` itself. So a
/// suffix rule is written as both lines, which blocks the domain and every subdomain whatever that setting is, and an
/// exact host as its bare name. The format documents no comment syntax for domain lists (only IP lists take
/// comments), so the file has none; IP ranges need an IP-list EDL and are not written here.
package enum PaloAltoEDLBlocklistGenerator: BlocklistGenerator {
    package static let descriptor = BlocklistDescriptor(
        id: "paloalto-edl",
        product: "Palo Alto Networks PAN-OS (External Dynamic List, Domain List)",
        usage: "Host the file on a web server the firewall can reach; Objects > External Dynamic Lists > Add, "
            + "Type: Domain List, Source: its URL; use it in an Anti-Spyware profile "
            + "(DNS policies: block or sinkhole). "
            + "No comments; IP ranges of custom apps are not included (they need an IP List EDL)."
    )

    package static func render(_ entries: [BlocklistEntry], context: BlocklistContext) -> String {
        BlocklistRules(entries).wildcardPatterns.map { $0 + "\n" }.joined()
    }
}
