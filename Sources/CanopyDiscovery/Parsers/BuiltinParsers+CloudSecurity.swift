extension BuiltinParsers {
    /// Cloud security gateways (SSE/SWG services) and the Check Point Log Exporter formats.
    static let cloudSecurity: [any BuiltinLogParser.Type] = [
        ZscalerNSSCSVParser.self,
        ZscalerNSSLEEFParser.self,
        ZscalerNSSCEFParser.self,
        ZscalerNSSJSONParser.self,
        MenloCEFParser.self,
        ForcepointCEFParser.self,
        ForcepointLEEFParser.self,
        ForcepointCSVParser.self,
        CheckPointSyslogParser.self,
        CheckPointCEFParser.self,
        CheckPointLEEFParser.self,
    ]
}
