/// Zscaler Internet Access: the URL list of a custom URL category, one entry per line.
///
/// Per Zscaler's URL format guidelines: lowercase ASCII, no scheme; a leading `.` works as a wildcard to the left
/// (the domain itself and subdomains up to five levels deep), and an entry without it must match the host exactly.
/// The list has no comment syntax, so there is no header. IP ranges are not URLs and are left out (Zscaler takes
/// them in the category's separate IP ranges field).
package enum ZscalerBlocklistGenerator: BlocklistGenerator {
    package static let descriptor = BlocklistDescriptor(
        id: "zscaler",
        product: "Zscaler Internet Access (custom URL category)",
        usage: "Administration > URL Categories > Add (or edit) a custom category; paste or import the lines as URLs, "
            + "then block the category in a URL Filtering rule. `.example.com` covers the domain and its subdomains. "
            + "No comments; IP ranges of custom apps go in the category's IP ranges field."
    )

    package static func render(_ entries: [BlocklistEntry], context: BlocklistContext) -> String {
        BlocklistRules(entries).leadingDotLines
    }
}
