extension BuiltinParsers {
    /// Vendor-neutral formats; last, so they lose sniffing ties.
    static let generic: [any BuiltinLogParser.Type] = [
        GenericCEFParser.self,
        GenericLEEFParser.self,
    ]
}
