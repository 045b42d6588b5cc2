/// Every parser that ships with Canopy: the registry (STYLE.md §9).
///
/// Parsers are grouped by family, one file per family, one line per parser. `ParserConformanceTests` checks that
/// every parser here has a fixture folder and every fixture folder a parser. Order matters for sniffing ties:
/// vendor-specific parsers come before generic ones.
package enum BuiltinParsers {
    package static let all: [any BuiltinLogParser.Type] =
        webProxies + cloudSecurity + firewalls + ciscoFamily + networkSensors + generic

    /// The parser with this id.
    package static func named(_ id: String) -> (any BuiltinLogParser.Type)? {
        all.first { $0.descriptor.id == id }
    }
}
