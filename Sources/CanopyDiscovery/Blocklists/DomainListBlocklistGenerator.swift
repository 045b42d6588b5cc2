/// A plain list of domain names, one per line, with no comments — for any tool that takes a list of hosts.
///
/// Each suffix rule is written as its domain (consumers that match suffixes then cover its subdomains) and each exact
/// host as itself; hosts covered by a listed domain are left out. IP ranges are not domains and are not written.
package enum DomainListBlocklistGenerator: BlocklistGenerator {
    package static let descriptor = BlocklistDescriptor(
        id: "domains",
        product: "Plain domain list",
        usage: "One domain per line, no comments, sorted; subdomains of a listed domain are not repeated. "
            + "IP ranges of custom apps are not included."
    )

    package static func render(_ entries: [BlocklistEntry], context: BlocklistContext) -> String {
        BlocklistRules(entries).hostRules.map { $0.host + "\n" }.joined()
    }
}
