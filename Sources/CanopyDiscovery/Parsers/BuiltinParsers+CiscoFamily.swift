extension BuiltinParsers {
    /// Cisco ASA, FTD/FirePOWER, Secure Web Appliance, Meraki, Umbrella.
    static let ciscoFamily: [any BuiltinLogParser.Type] = [
        CiscoFirepowerParser.self,
        CiscoASAParser.self,
        CiscoWSAParser.self,
        CiscoMerakiParser.self,
        CiscoUmbrellaParser.self,
    ]
}
