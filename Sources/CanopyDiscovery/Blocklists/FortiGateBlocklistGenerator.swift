import CanopyCore

/// Fortinet FortiGate: FortiOS CLI for a static URL filter list and a web filter profile that uses it.
///
/// Each suffix rule becomes two entries: `example.com` of type `simple` (the domain; in proxy-based inspection a
/// simple entry also matches its subdomains) and `*.example.com` of type `wildcard` (every subdomain). Exact hosts
/// are `simple` entries. Every entry has `set action block`. Strings are double-quoted; the values are validated
/// host names, and the only other strings (names, comment) are reduced to safe characters, so nothing needs escaping.
/// IP ranges of custom apps become `firewall address`/`address6` objects in an address group for a deny policy.
/// Lines starting with `#` are comments in FortiOS CLI scripts.
package enum FortiGateBlocklistGenerator: BlocklistGenerator {
    package static let descriptor = BlocklistDescriptor(
        id: "fortigate",
        product: "Fortinet FortiGate (FortiOS CLI)",
        usage: "Paste into the FortiGate CLI or run as a CLI script; it creates a URL filter list (action block) and "
            + "a web filter profile NAME using it. Apply the profile to your outbound firewall policies."
    )

    package static func render(_ entries: [BlocklistEntry], context: BlocklistContext) -> String {
        let rules = BlocklistRules(entries)
        // The URL filter list name is at most 35 characters on FortiOS 6.0; profile names as well.
        let name = BlocklistRules.safeName(context.name, limit: 35)
        let tableID = tableID(for: name)
        var usage = [
            "Creates URL filter list \(tableID) \"\(name)\" and web filter profile \"\(name)\" that uses it.",
            "Change \(tableID) if that URL filter id is already in use, then apply the profile to your",
            "outbound policies (config firewall policy / edit ID / set webfilter-profile \"\(name)\").",
            "simple example.com matches the domain (and its subdomains in proxy-based inspection; in flow-based",
            "inspection a simple entry matches as a substring); wildcard *.example.com matches every subdomain.",
        ]
        if !rules.ipRanges.isEmpty {
            usage.append(
                "IP ranges of custom apps are in address groups \"\(name)_ip\"/\"\(name)_ip6\" for a deny policy."
            )
        }
        var out = rules.header(descriptor, context: context, comment: "#", usage: usage)
        out += "config webfilter urlfilter\n"
        out += "    edit \(tableID)\n"
        out += "        set name \"\(name)\"\n"
        out += "        set comment \"Canopy: unsanctioned cloud apps\"\n"
        out += "        config entries\n"
        var entryID = 0
        func entry(_ url: String, type: String) {
            entryID += 1
            out += "            edit \(entryID)\n"
            out += "                set url \"\(url)\"\n"
            out += "                set type \(type)\n"
            out += "                set action block\n"
            out += "            next\n"
        }
        for rule in rules.hostRules {
            entry(rule.host, type: "simple")
            if rule.includesSubdomains { entry("*." + rule.host, type: "wildcard") }
        }
        out += "        end\n"
        out += "    next\n"
        out += "end\n"
        out += "config webfilter profile\n"
        out += "    edit \"\(name)\"\n"
        out += "        config web\n"
        out += "            set urlfilter-table \(tableID)\n"
        out += "        end\n"
        out += "    next\n"
        out += "end\n"
        out += addressObjects(rules, name: name)
        return out
    }

    /// A stable URL filter table id for the list name, in 1000…9999.
    static func tableID(for name: String) -> Int {
        1000 + Int(UInt32(BlocklistRules.shortHash(name), radix: 16) ?? 0) % 9000
    }

    private static func addressObjects(_ rules: BlocklistRules, name: String) -> String {
        func objectName(_ range: IPRange) -> String {
            BlocklistRules.objectName(prefix: "canopy-", BlocklistRules.rangeLabel(range), limit: 63)
        }
        var out = ""
        let families = [
            (true, rules.ipRanges.filter { $0.network.isIPv4 }), (false, rules.ipRanges.filter { !$0.network.isIPv4 }),
        ]
        for (v4, ranges) in families where !ranges.isEmpty {
            out += v4 ? "config firewall address\n" : "config firewall address6\n"
            for range in ranges {
                out += "    edit \"\(objectName(range))\"\n"
                if v4 {
                    let mask = BlocklistRules.ipv4Netmask(prefixLength: range.prefixLength)
                    out += "        set subnet \(range.network) \(mask)\n"
                } else {
                    out += "        set ip6 \(range)\n"
                }
                out += "    next\n"
            }
            out += "end\n"
            out += v4 ? "config firewall addrgrp\n" : "config firewall addrgrp6\n"
            out += "    edit \"\(name)\(v4 ? "_ip" : "_ip6")\"\n"
            out += "        set member " + ranges.map { "\"\(objectName($0))\"" }.joined(separator: " ") + "\n"
            out += "    next\n"
            out += "end\n"
        }
        return out
    }
}
