extension BuiltinParsers {
    /// On-premises web proxies and web servers.
    static let webProxies: [any BuiltinLogParser.Type] = [
        SquidNativeParser.self
    ]
}
