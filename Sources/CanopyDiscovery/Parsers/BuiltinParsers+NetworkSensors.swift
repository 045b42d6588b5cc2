extension BuiltinParsers {
    /// Network sensors (Zeek).
    static let networkSensors: [any BuiltinLogParser.Type] = []
}
