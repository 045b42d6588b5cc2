extension BuiltinParsers {
    /// Next-generation firewalls and UTMs (not Cisco).
    static let firewalls: [any BuiltinLogParser.Type] = []
}
