package import CanopyCore

/// The validated, de-duplicated rules every block-list format writes, plus the small helpers the formats share
/// (safe names, comment headers, stable short hashes).
///
/// Entries are validated here, not trusted: a domain or host that is not a plain LDH host name (letters, digits,
/// hyphens; at least two labels; at most 253 characters) and an IP range that is not a CIDR block are dropped, so
/// spaces, quotes, newlines or other syntax can never reach an appliance configuration. Then every rule that a
/// broader rule already covers is removed — Squid 5 refuses an ACL file in which a domain and one of its subdomains
/// both appear, and the other appliances only waste entries on them.
///
/// ```swift
/// let box = BlocklistEntry(appID: "box", appName: "Box", domains: ["box.com"], hosts: ["app.box.com"])
/// let rules = BlocklistRules([box])
/// rules.suffixes  // ["box.com"] — app.box.com is covered
/// ```
package struct BlocklistRules: Sendable, Equatable {
    /// One app that contributed rules, for header comments.
    package struct App: Sendable, Equatable {
        package var id: String
        package var name: String
    }

    /// Domains blocked together with all their subdomains, sorted.
    package private(set) var suffixes: [String]
    /// Host names blocked exactly (not covered by any suffix), sorted.
    package private(set) var exactHosts: [String]
    /// CIDR blocks of custom apps, IPv4 first, sorted.
    package private(set) var ipRanges: [IPRange]
    /// The apps with at least one valid rule, sorted by id; ids and names are reduced to safe comment text.
    package private(set) var apps: [App]
    /// How many domains, hosts and ranges were dropped as invalid.
    package private(set) var droppedCount: Int

    /// Validates and de-duplicates `entries`.
    package init(_ entries: [BlocklistEntry]) {
        var suffixSet = Set<String>()
        var exactSet = Set<String>()
        var rangeSet = Set<IPRange>()
        var apps: [String: App] = [:]
        var dropped = 0
        for entry in entries {
            let (valid, invalid) = Self.validate(entry)
            dropped += invalid
            if valid.domains.isEmpty && valid.hosts.isEmpty && valid.ipRanges.isEmpty { continue }
            suffixSet.formUnion(valid.domains)
            exactSet.formUnion(valid.hosts)
            rangeSet.formUnion(valid.ipRanges.compactMap(IPRange.init))
            let id = Self.commentText(entry.appID, limit: 64)
            apps[id] = App(id: id, name: Self.commentText(entry.appName, limit: 80))
        }
        func coveredBySuffix(_ host: String, includingItself: Bool) -> Bool {
            if includingItself, suffixSet.contains(host) { return true }
            var rest = Substring(host)
            while let dot = rest.firstIndex(of: ".") {
                rest = rest[rest.index(after: dot)...]
                if suffixSet.contains(String(rest)) { return true }
            }
            return false
        }
        suffixes = suffixSet.filter { !coveredBySuffix($0, includingItself: false) }.sorted()
        exactHosts = exactSet.filter { !coveredBySuffix($0, includingItself: true) }.sorted()
        ipRanges = rangeSet.sorted { a, b in
            a.network == b.network ? a.prefixLength < b.prefixLength : a.network < b.network
        }
        self.apps = apps.values.sorted { $0.id < $1.id }
        droppedCount = dropped
    }

    /// Whether there is nothing to block.
    package var isEmpty: Bool { suffixes.isEmpty && exactHosts.isEmpty && ipRanges.isEmpty }

    /// Every host-name rule, suffix or exact, sorted by name.
    package var hostRules: [(host: String, includesSubdomains: Bool)] {
        (suffixes.map { ($0, true) } + exactHosts.map { ($0, false) }).sorted { $0.0 < $1.0 }
    }

    /// Every host-name rule as one line, a domain with its subdomains written `.example.com` and an exact host as
    /// itself: the notation of Squid `dstdomain` files and Zscaler URL lists.
    package var leadingDotLines: String {
        hostRules.map { ($0.includesSubdomains ? "." : "") + $0.host + "\n" }.joined()
    }

    /// Every host-name rule as the patterns that match it: the host, then `*.host` when its subdomains are blocked
    /// too (PAN-OS domain lists, Junos URL patterns), sorted by host.
    package var wildcardPatterns: [String] {
        hostRules.flatMap { $0.includesSubdomains ? [$0.host, "*." + $0.host] : [$0.host] }
    }

    // MARK: - Validation

    /// The entry with every value that is not a valid host name or CIDR range removed.
    ///
    /// Domains and hosts are lowercased, converted to their ASCII (punycode) form and lose one trailing dot; a
    /// domain may also be written `*.example.com` or `.example.com`. IP ranges are kept in canonical form
    /// (`10.0.0.0/8`); `/0` ranges are dropped because they would block everything.
    package static func validated(_ entry: BlocklistEntry) -> BlocklistEntry {
        validate(entry).valid
    }

    /// The valid part of `entry` and how many of its values were invalid (duplicates are not counted).
    private static func validate(_ entry: BlocklistEntry) -> (valid: BlocklistEntry, invalid: Int) {
        var copy = entry
        let domains = entry.domains.map { normalizedHostname($0, allowWildcard: true) }
        let hosts = entry.hosts.map { normalizedHostname($0, allowWildcard: false) }
        let ranges = entry.ipRanges.map { text -> String? in
            guard text.utf8.count <= 64, let range = IPRange(text), range.prefixLength > 0 else { return nil }
            return range.description
        }
        copy.domains = Array(Set(domains.compactMap { $0 })).sorted()
        copy.hosts = Array(Set(hosts.compactMap { $0 })).sorted()
        copy.ipRanges = Array(Set(ranges.compactMap { $0 })).sorted()
        let invalid =
            domains.count(where: { $0 == nil }) + hosts.count(where: { $0 == nil })
            + ranges.count(where: { $0 == nil })
        return (copy, invalid)
    }

    /// The canonical form of a host name, or nil when `text` is not a valid one.
    ///
    /// Valid means: labels of 1–63 letters, digits and inner hyphens, at least two labels, at most 253 characters
    /// in all, and a last label that is not all digits (so IPv4 literals are not host names).
    ///
    /// - Parameters:
    ///   - text: the name as found in the catalog or settings.
    ///   - allowWildcard: accept a leading `*.` or `.` (domain suffix rules) and strip it.
    /// - Returns: the lowercase ASCII name without a trailing dot, or nil.
    package static func normalizedHostname(_ text: String, allowWildcard: Bool = false) -> String? {
        guard !text.isEmpty, text.utf8.count <= 1024, var host = Punycode.asciiHost(text) else { return nil }
        if host.hasSuffix(".") { host.removeLast() }
        if allowWildcard {
            if host.hasPrefix("*.") {
                host.removeFirst(2)
            } else if host.hasPrefix(".") {
                host.removeFirst()
            }
        }
        let bytes = Array(host.utf8)
        guard !bytes.isEmpty, bytes.count <= 253 else { return nil }
        var labels = 0
        var labelLength = 0
        var labelAllDigits = true
        var previous: UInt8 = UInt8(ascii: ".")
        for b in bytes {
            switch b {
            case UInt8(ascii: "."):
                guard labelLength > 0, previous != UInt8(ascii: "-") else { return nil }
                labels += 1
                labelLength = 0
                labelAllDigits = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                if b == UInt8(ascii: "-"), labelLength == 0 { return nil }
                if b < UInt8(ascii: "0") || b > UInt8(ascii: "9") { labelAllDigits = false }
                labelLength += 1
                guard labelLength <= 63 else { return nil }
            default:
                return nil
            }
            previous = b
        }
        guard labelLength > 0, previous != UInt8(ascii: "-"), !labelAllDigits else { return nil }
        labels += 1
        guard labels >= 2 else { return nil }
        return host
    }

    // MARK: - Shared formatting helpers

    /// `name` reduced to letters, digits, `_` and `-`, at most `limit` characters; the default name when empty.
    package static func safeName(_ name: String, limit: Int = 63) -> String {
        let kept = name.unicodeScalars.filter { s in
            s.isASCII
                && (("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "_"
                    || s == "-")
        }
        let text = String(String.UnicodeScalarView(kept.prefix(max(1, limit))))
        return text.isEmpty ? String("canopy_unsanctioned".prefix(max(1, limit))) : text
    }

    /// `text` as one safe comment line: printable ASCII only (anything else becomes `?`), at most `limit` characters.
    package static func commentText(_ text: String, limit: Int = 120) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(limit) {
            out.unicodeScalars.append(scalar.value >= 0x20 && scalar.value < 0x7F ? scalar : "?")
        }
        return out
    }

    /// A stable 8-hex-digit FNV-1a hash, for shortening object names deterministically.
    package static func shortHash(_ text: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for b in text.utf8 {
            hash ^= UInt32(b)
            hash = hash &* 16_777_619
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// `prefix` + `host`, shortened to `limit` characters with a hash suffix when longer (appliance object names).
    package static func objectName(prefix: String, _ value: String, limit: Int = 63) -> String {
        let full = prefix + value
        guard full.utf8.count > limit else { return full }
        let hash = shortHash(value)
        return String(full.prefix(max(0, limit - hash.count - 1))) + "-" + hash
    }

    /// The comment header every format with comments starts with: what it is, when it was generated, how many
    /// rules it holds, how to use it, and which apps it blocks.
    ///
    /// - Parameters:
    ///   - descriptor: the format, named in the first line.
    ///   - context: the generation time is taken from here.
    ///   - comment: the format's comment marker (`#`, `;`, `!`).
    ///   - usage: extra lines (already safe) explaining how to load the output.
    /// - Returns: the comment lines, each ending in a newline.
    package func header(
        _ descriptor: BlocklistDescriptor,
        context: BlocklistContext,
        comment: String,
        usage: [String]
    ) -> String {
        var lines = [
            "Canopy block list for \(descriptor.product): unsanctioned cloud apps (format \(descriptor.id)).",
            "Generated \(Self.commentText(context.generatedAt, limit: 40)) for \(apps.count) apps: "
                + "\(suffixes.count) domains with subdomains, \(exactHosts.count) exact hosts, "
                + "\(ipRanges.count) IP ranges.",
        ]
        if droppedCount > 0 {
            lines.append("Left out \(droppedCount) invalid value(s): not a host name or CIDR range.")
        }
        lines.append("")
        lines += usage
        if !apps.isEmpty {
            lines.append("")
            lines.append("Apps:")
            lines += apps.map { "  \($0.id)  \($0.name)" }
        }
        return lines.map { $0.isEmpty ? comment : "\(comment) \($0)" }.joined(separator: "\n") + "\n"
    }

    /// The comment that ends the output of a format in which an empty definition is not valid, so that with no rules
    /// the output is all comments: `!` and `! No unsanctioned apps: nothing to deny.`
    package static func nothingToBlock(comment: String, action: String) -> String {
        "\(comment)\n\(comment) No unsanctioned apps: nothing to \(action).\n"
    }

    /// A CIDR range as a name part: `10.0.0.0_8`, `2001-db8--_32` (no `/` or `:`, which object names reject).
    package static func rangeLabel(_ range: IPRange) -> String {
        String(range.description.map { $0 == "/" ? "_" : $0 == ":" ? "-" : $0 })
    }

    /// The dotted-quad netmask of an IPv4 prefix length (`8` → `255.0.0.0`).
    package static func ipv4Netmask(prefixLength: Int) -> String {
        let mask: UInt32 = prefixLength <= 0 ? 0 : ~UInt32(0) << UInt32(32 - min(32, prefixLength))
        return "\(mask >> 24).\((mask >> 16) & 0xFF).\((mask >> 8) & 0xFF).\(mask & 0xFF)"
    }
}
