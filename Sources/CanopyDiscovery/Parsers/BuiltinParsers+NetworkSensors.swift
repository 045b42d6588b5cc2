extension BuiltinParsers {
    /// Network sensors (Zeek).
    static let networkSensors: [any BuiltinLogParser.Type] = [
        ZeekHTTPTSVParser.self,
        ZeekSSLTSVParser.self,
        ZeekConnTSVParser.self,
        ZeekDNSTSVParser.self,
        ZeekHTTPJSONParser.self,
        ZeekSSLJSONParser.self,
        ZeekConnJSONParser.self,
        ZeekDNSJSONParser.self,
    ]
}
