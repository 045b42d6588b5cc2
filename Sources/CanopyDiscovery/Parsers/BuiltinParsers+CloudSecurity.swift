extension BuiltinParsers {
    /// Cloud security gateways (SSE/SWG services).
    static let cloudSecurity: [any BuiltinLogParser.Type] = []
}
