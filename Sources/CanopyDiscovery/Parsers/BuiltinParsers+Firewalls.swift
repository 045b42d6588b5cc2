extension BuiltinParsers {
    /// Next-generation firewalls and UTMs (not Cisco).
    static let firewalls: [any BuiltinLogParser.Type] = [
        PaloAltoTrafficParser.self,
        PaloAltoURLParser.self,
        FortinetFortiGateParser.self,
        SonicWallSyslogParser.self,
        WatchGuardFireboxParser.self,
        StormshieldSNSParser.self,
        JuniperSRXParser.self,
        JuniperWELFParser.self,
        JuniperSSGParser.self,
        SophosXGParser.self,
        SophosUTMParser.self,
    ]
}
