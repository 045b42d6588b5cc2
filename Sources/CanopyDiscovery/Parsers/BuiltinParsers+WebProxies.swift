extension BuiltinParsers {
    /// On-premises web proxies and web servers.
    static let webProxies: [any BuiltinLogParser.Type] = [
        SquidNativeParser.self,
        SquidCommonParser.self,
        ApacheCombinedParser.self,
        BlueCoatELFFParser.self,
        BlueCoatSyslogParser.self,
        MicrosoftTMGParser.self,
        BarracudaWebFilterParser.self,
        W3CExtendedParser.self,
        IbossSyslogParser.self,
        McAfeeWebGatewayParser.self,
    ]
}
