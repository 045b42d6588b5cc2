import CanopyCore

/// The PAN-OS syslog CSV shared by ``PaloAltoTrafficParser`` and ``PaloAltoURLParser``.
///
/// PAN-OS writes every log type as one CSV record, `FUTURE_USE,Receive Time,Serial Number,Type,Subtype,FUTURE_USE,
/// Generated Time,Source Address,…`, after an optional syslog envelope (`Nov 30 16:44:36 PA-220 1,2018/11/30 …`,
/// sometimes with no host, sometimes RFC 5424). Column positions follow the PAN-OS 10.x/11.x "Syslog Field
/// Descriptions" (Traffic Log Fields, Threat Log Fields); the leading columns are the same in both types.
enum PANOSLog {
    /// Column indexes common to the TRAFFIC and THREAT formats.
    enum Column {
        static let receiveTime = 1
        static let type = 3
        static let subtype = 4
        static let generatedTime = 6
        static let sourceAddress = 7
        static let destinationAddress = 8
        static let sourceUser = 12
        static let sourcePort = 24
        static let destinationPort = 25
        static let ipProtocol = 29
        static let action = 30
        /// The first column that can hold the High Resolution Timestamp (PAN-OS 10.0+), which sits near the end
        /// of every type at a position that grows with each release.
        static let firstHighResolutionCandidate = 60
    }

    /// The log types PAN-OS forwards over syslog; a line of another of these types is not an error.
    private static let knownTypes: [StaticString] = [
        "TRAFFIC", "THREAT", "SYSTEM", "CONFIG", "HIPMATCH", "GLOBALPROTECT", "USERID", "AUTHENTICATION",
        "DECRYPTION", "TUNNEL", "GTP", "SCTP", "IPTAG", "CORRELATION", "AUDIT",
    ]

    /// Where the CSV record starts: the token that holds the first comma, after any syslog envelope.
    static func csvStart(in line: Bytes) -> Int? {
        guard let comma = line.index(of: UInt8(ascii: ",")) else { return nil }
        var start = comma
        while start > 0, line[start - 1] != 32, line[start - 1] != UInt8(ascii: ">") { start -= 1 }
        return start
    }

    /// Splits the CSV of `line` into `fields` and checks it is a PAN-OS log of `expectedType`.
    ///
    /// - Returns: the CSV bytes the field ranges refer to, or the outcome for a line that is not usable: another
    ///   PAN-OS type is ignored as not traffic, anything else is rejected with the most precise reason.
    static func open(
        _ line: Bytes,
        fields: inout FieldSplitter,
        expectedType: StaticString,
        minimumColumns: Int
    ) -> (csv: Bytes, outcome: ParseResult?) {
        guard let start = csvStart(in: line) else { return (line, .rejected(.notThisFormat)) }
        let csv = line.dropFirst(start)
        let closed = fields.split(csv, separator: UInt8(ascii: ","), quote: UInt8(ascii: "\""))
        let type = fields.field(Column.type, in: csv)
        let isKnownType = knownTypes.contains { type.equals($0) }
        let receiveTime = fields.field(Column.receiveTime, in: csv)
        guard isKnownType || TimeParsing.slashDate(receiveTime) != nil else {
            let looksLikeDate =
                TimeParsing.digits(receiveTime, 0, 4) != nil && receiveTime.count > 4
                && receiveTime[4] == UInt8(ascii: "/")
            return (csv, .rejected(looksLikeDate ? .badTimestamp : .notThisFormat))
        }
        guard fields.count > Column.subtype else { return (csv, .rejected(.truncated)) }
        guard type.equals(expectedType) else {
            return (csv, isKnownType ? .ignored(.notTraffic) : .rejected(.notThisFormat))
        }
        guard closed else { return (csv, .rejected(.unbalancedQuotes)) }
        guard fields.count >= minimumColumns else { return (csv, .rejected(.truncated)) }
        return (csv, nil)
    }

    /// Fills what TRAFFIC and THREAT share: time, addresses, ports and the source user.
    ///
    /// - Returns: the reason to reject the line, or nil when the common columns are valid.
    static func readCommon(_ csv: Bytes, fields: FieldSplitter, into record: inout TrafficRecord) -> ReasonCode? {
        guard
            let time = highResolutionTime(csv, fields: fields)
                ?? TimeParsing.slashDate(fields.field(Column.generatedTime, in: csv))
        else { return .badTimestamp }
        record.time = time
        guard let source = fields.field(Column.sourceAddress, in: csv).ipAddress else { return .badAddress }
        record.sourceIP = source
        let destination = fields.field(Column.destinationAddress, in: csv)
        if !destination.isPlaceholder {
            guard let ip = destination.ipAddress else { return .badAddress }
            record.destinationIP = ip
        }
        let proto = fields.field(Column.ipProtocol, in: csv)
        let port = fields.field(Column.destinationPort, in: csv)
        if !port.isPlaceholder {
            guard let value = port.port else { return .badNumber }
            // ICMP logs carry no ports; 0 means none.
            if value > 0, !proto.hasPrefix("icmp") { record.destinationPort = value }
        }
        record.apply(user: fields.field(Column.sourceUser, in: csv))
        return nil
    }

    /// The High Resolution Timestamp (`2023-10-04T18:54:25.443+08:00`), which carries the zone the other times lack.
    private static func highResolutionTime(_ csv: Bytes, fields: FieldSplitter) -> Timestamp? {
        var i = Column.firstHighResolutionCandidate
        while i < fields.count {
            let f = fields.field(i, in: csv)
            if f.count >= 25, f[4] == UInt8(ascii: "-"), f[10] == UInt8(ascii: "T"), let t = TimeParsing.iso8601(f) {
                return t
            }
            i += 1
        }
        return nil
    }
}
