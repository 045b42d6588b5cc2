import CanopyCore

/// The `%ASA-6-302013:` / `%FTD-1-430003:` header that Cisco ASA and Secure Firewall Threat Defense (FTD) put in
/// front of every syslog message, and the time of the message.
///
/// From the Cisco "ASA Series Syslog Messages" and "Secure Firewall Threat Defense Syslog Messages" guides: the
/// message is `%FACILITY[-suffix]-SEVERITY-MESSAGEID: text`. Devices send it bare, after an RFC 3164/5424 envelope
/// (their own or a relay's), and with the device's `logging timestamp` (`Jan 02 2024 03:04:05:`), sometimes both;
/// the device's own timestamp wins over a relay's. Times without a zone are UTC.
struct CiscoSyslogMessage {
    /// What the line held.
    enum Outcome {
        case message(CiscoSyslogMessage)
        /// No `%ASA-`, `%FTD-` or `%PIX-` header.
        case notCisco
        /// A time-like prefix that is not a valid date.
        case badTimestamp
    }

    /// The device time or, failing that, the envelope time.
    var time: Timestamp?
    /// The sending host from the envelope, when there is one.
    var host: Bytes?
    /// The six-digit message id; 0 when the header has none.
    var messageID: Int
    /// The message text after `: `.
    var body: Bytes

    /// Finds the header and parses what precedes it.
    static func parse(_ line: Bytes, defaultYear: Int) -> Outcome {
        guard let marker = markerIndex(in: line) else { return .notCisco }
        var i = marker + 5
        let n = line.count
        // Optional facility suffix: %ASA-session-3-106102, %FTD-auth-6-113039.
        if i < n, isLetter(line[i]) {
            while i < n, line[i] != UInt8(ascii: "-") {
                guard isLetter(line[i]) else { return .notCisco }
                i += 1
            }
            i += 1
        }
        guard i + 1 < n, line[i] >= 48, line[i] <= 57, line[i + 1] == UInt8(ascii: "-") else { return .notCisco }
        i += 2
        var id = 0
        var digits = 0
        while i < n, line[i] >= 48, line[i] <= 57, digits < 7 {
            id = id * 10 + Int(line[i] - 48)
            digits += 1
            i += 1
        }
        guard i < n, line[i] == UInt8(ascii: ":") else { return .notCisco }
        i += 1
        while i < n, line[i] == 32 { i += 1 }

        var message = CiscoSyslogMessage(time: nil, host: nil, messageID: id, body: line.dropFirst(i).trimmed)
        let prefix = line.sub(0..<marker)
        guard !prefix.trimmed.isEmpty else { return .message(message) }
        let header = SyslogHeader.parse(prefix, defaultYear: defaultYear)
        message.time = header.time
        message.host = header.host
        // A device timestamp after a relay's envelope: "<166>Jan 02 03:04:06 fw01 : Jan 02 2024 03:04:05: ".
        var rest = prefix.dropFirst(header.messageStart)
        var skip = 0
        while skip < rest.count, rest[skip] == 32 || rest[skip] == UInt8(ascii: ":") { skip += 1 }
        rest = rest.dropFirst(skip)
        if let (deviceTime, _) = TimeParsing.syslog(rest, defaultYear: defaultYear) {
            message.time = deviceTime
        }
        if message.time == nil, looksLikeTime(prefix) { return .badTimestamp }
        return .message(message)
    }

    /// The index of the first `%ASA-`, `%FTD-` or `%PIX-`.
    private static func markerIndex(in line: Bytes) -> Int? {
        var from = 0
        while let p = line.index(of: UInt8(ascii: "%"), from: from) {
            if p + 5 <= line.count, line[p + 4] == UInt8(ascii: "-") {
                let tag = line.sub((p + 1)..<(p + 4))
                if tag.equals("ASA") || tag.equals("FTD") || tag.equals("PIX") { return p }
            }
            from = p + 1
        }
        return nil
    }

    /// Whether a prefix that gave no time starts like one (a month name or `yyyy-`): then its date is bad.
    private static func looksLikeTime(_ prefix: Bytes) -> Bool {
        var p = prefix.trimmed
        if p.count > 2, p[0] == UInt8(ascii: "<"), let close = p.index(of: UInt8(ascii: ">")), close < 6 {
            p = p.dropFirst(close + 1)
        }
        if p.count >= 2, p[0] == UInt8(ascii: "1"), p[1] == 32 { p = p.dropFirst(2) }
        if TimeParsing.month(p, 0) != nil, p.count > 3, p[3] == 32 { return true }
        return TimeParsing.digits(p, 0, 4) != nil && p.count > 4 && p[4] == UInt8(ascii: "-")
    }

    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 97 && (b | 0x20) <= 122 }
}
