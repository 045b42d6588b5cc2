package import CanopyCore

/// Cisco Meraki MX/MR syslog: `urls` (HTTP requests) and `flows` / `firewall` / `vpn_firewall` /
/// `cellular_firewall` / `bridge_anyconnect_client_vpn_firewall` (firewall rule matches), from the Meraki
/// "Syslog Server Overview and Configuration" and "Syslog Event Types and Log Samples" documents.
///
/// A message is `[<PRI>1 ]epoch.nanoseconds device type key=value … [request: METHOD URL | pattern: RULE]`,
/// possibly after a collector's own envelope. The firewall rule decides the action: `allow …` or inbound `0 …`
/// is allowed, `deny …` or inbound `1 …` blocked (older firmware writes `flows allow` / `flows deny` instead).
/// Other event types (events, ids-alerts, security_event, airmarshal_events, ip_flow_start/end) are ignored.
package struct CiscoMerakiParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "cisco.meraki",
        product: "Cisco Meraki MX / MR",
        summary: "Meraki syslog 'urls' (src, dst, mac, agent, request: METHOD URL) and 'flows'/'firewall'/"
            + "'vpn_firewall'/'cellular_firewall' (src, dst, protocol, sport, dport, pattern: allow|deny|0|1 rule) "
            + "events; other event types are ignored. From Meraki's 'Syslog Server Overview and Configuration' and "
            + "'Syslog Event Types and Log Samples'.",
        sample: "<134>1 1700000000.123456789 MX84 urls src=10.0.0.5:51000 dst=162.125.1.18:443 mac=00:18:0A:11:22:33 "
            + "agent='Mozilla/5.0 (Windows NT 10.0; Win64; x64)' request: GET https://www.dropbox.com/home",
        fields: [
            "time", "net.src_ip", "net.dst_host", "net.dst_ip", "net.dst_port", "http.url", "http.method",
            "event.action", "http.user_agent",
        ]
    )

    package init() {}

    package func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        let text = line.trimmed
        guard !text.isEmpty else { return .rejected(.emptyLine) }
        // Find the epoch token; the device name and the event type follow it.
        var scanner = MerakiTokens(text)
        var time: Timestamp?
        var sawEpochShape = false
        for _ in 0..<10 {
            guard let token = scanner.next() else { break }
            if Self.isEpochShaped(token) {
                sawEpochShape = true
                if let t = TimeParsing.epoch(token) {
                    time = t
                    break
                }
            }
        }
        guard let time else { return .rejected(sawEpochShape ? .badTimestamp : .notThisFormat) }
        guard scanner.next() != nil, let type = scanner.next() else { return .rejected(.truncated) }
        let isURL = type.equals("urls")
        let isFlow =
            type.equals("flows") || type.equals("firewall") || type.equals("vpn_firewall")
            || type.equals("cellular_firewall") || type.equals("bridge_anyconnect_client_vpn_firewall")
        guard isURL || isFlow else { return .ignored(.notTraffic) }

        record.time = time
        var sawSource = false
        var sawDestination = false
        while let token = scanner.nextPair() {
            switch token {
            case .word(let w):
                // Older firmware: "flows allow src=…" / "flows deny src=…".
                if isFlow, record.action == nil {
                    if w.equals("allow") { record.action = .allowed }
                    if w.equals("deny") { record.action = .blocked }
                }
            case .pair(let key, let value):
                if key.equals("src") {
                    sawSource = true
                    switch Self.endpoint(value) {
                    case .address(let ip, _): record.sourceIP = ip
                    case .badAddress: return .rejected(.badAddress)
                    case .badPort: return .rejected(.badNumber)
                    }
                } else if key.equals("dst") {
                    sawDestination = true
                    switch Self.endpoint(value) {
                    case .address(let ip, let port):
                        record.destinationIP = ip
                        if let port { record.destinationPort = port }
                    case .badAddress: return .rejected(.badAddress)
                    case .badPort: return .rejected(.badNumber)
                    }
                } else if key.equals("dport") {
                    guard let port = value.port else { return .rejected(.badNumber) }
                    record.destinationPort = port
                } else if key.equals("agent") {
                    record.apply(userAgent: value, context: context)
                }
            case .rest(let key, let value):
                if key.equals("request") {
                    var request = value.trimmed
                    let space = request.index(of: 32) ?? request.count
                    let method = request.sub(0..<space)
                    if !method.equals("UNKNOWN") { record.apply(method: method) }
                    request = request.dropFirst(space).trimmed
                    if !request.isEmpty {
                        let end = request.index(of: 32) ?? request.count
                        record.apply(url: request.sub(0..<end), context: context)
                    }
                } else if key.equals("pattern"), isFlow {
                    record.action = Self.action(pattern: value.trimmed)
                }
            }
        }
        guard sawSource, sawDestination else { return .rejected(.truncated) }
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return .record
    }

    /// `allow …`/`0 …` is allowed, `deny …`/`1 …` blocked; "Group Policy Allow/Deny" by its last word.
    private static func action(pattern: Bytes) -> TrafficAction? {
        var words = MerakiTokens(pattern)
        guard let first = words.next() else { return nil }
        if first.equalsCaseInsensitive("allow") || first.equals("0") { return .allowed }
        if first.equalsCaseInsensitive("deny") || first.equals("1") { return .blocked }
        if first.equals("Group"), words.next()?.equals("Policy") == true, let verdict = words.next() {
            if verdict.equalsCaseInsensitive("allow") { return .allowed }
            if verdict.equalsCaseInsensitive("deny") { return .blocked }
        }
        return nil
    }

    private enum Endpoint {
        case address(IPAddress, Int?)
        case badAddress
        case badPort
    }

    /// `10.0.0.5:51000`, `10.0.0.5`, `2001:db8::5`, `[2001:db8::5]:443`: the address and the port if any.
    private static func endpoint(_ value: Bytes) -> Endpoint {
        var addressPart = value
        var portPart: Bytes?
        if value.count > 2, value[0] == UInt8(ascii: "["), let close = value.index(of: UInt8(ascii: "]")) {
            addressPart = value.sub(1..<close)
            let rest = value.dropFirst(close + 1)
            if rest.count > 0, rest[0] == UInt8(ascii: ":") { portPart = rest.dropFirst(1) }
        } else if IPAddress(bytes: value) == nil {
            var colon = value.count - 1
            while colon > 0, value[colon] != UInt8(ascii: ":") { colon -= 1 }
            if colon > 0 {
                addressPart = value.sub(0..<colon)
                portPart = value.dropFirst(colon + 1)
            }
        }
        guard let ip = IPAddress(bytes: addressPart) else { return .badAddress }
        guard let portPart else { return .address(ip, nil) }
        guard let port = portPart.port else { return .badPort }
        return .address(ip, port)
    }

    /// Digits, one dot, digits: how Meraki writes its epoch (`1563249910.949155659`).
    private static func isEpochShaped(_ token: Bytes) -> Bool {
        guard let dot = token.index(of: UInt8(ascii: ".")), dot > 0, dot < token.count - 1 else { return false }
        return token.sub(0..<dot).isAllDigits && token.dropFirst(dot + 1).isAllDigits
    }
}

/// Splits a Meraki message into words, `key=value` pairs (values in `'…'` or `"…"` may hold spaces) and the
/// trailing `request: …` / `pattern: …` text.
private struct MerakiTokens {
    enum Token {
        case word(Bytes)
        case pair(Bytes, Bytes)
        case rest(Bytes, Bytes)
    }

    private let text: Bytes
    private var position = 0

    init(_ text: Bytes) { self.text = text }

    /// The next space-separated word.
    mutating func next() -> Bytes? {
        while position < text.count, text[position] == 32 { position += 1 }
        guard position < text.count else { return nil }
        let start = position
        while position < text.count, text[position] != 32 { position += 1 }
        return text.sub(start..<position)
    }

    /// The next word, pair or `key: rest of line`.
    mutating func nextPair() -> Token? {
        while position < text.count, text[position] == 32 { position += 1 }
        guard position < text.count else { return nil }
        let start = position
        while position < text.count, text[position] != 32, text[position] != UInt8(ascii: "=") { position += 1 }
        if position < text.count, text[position] == UInt8(ascii: "=") {
            let key = text.sub(start..<position)
            position += 1
            if position < text.count, text[position] == UInt8(ascii: "'") || text[position] == UInt8(ascii: "\"") {
                let quote = text[position]
                let valueStart = position + 1
                var i = valueStart
                // The closing quote is the one followed by a space or the end.
                while i < text.count, !(text[i] == quote && (i + 1 == text.count || text[i + 1] == 32)) { i += 1 }
                position = min(i + 1, text.count)
                return .pair(key, text.sub(valueStart..<min(i, text.count)))
            }
            let valueStart = position
            while position < text.count, text[position] != 32 { position += 1 }
            return .pair(key, text.sub(valueStart..<position))
        }
        let word = text.sub(start..<position)
        if word.count > 1, word[word.count - 1] == UInt8(ascii: ":") {
            let rest = text.dropFirst(position)
            position = text.count
            return .rest(word.sub(0..<(word.count - 1)), rest)
        }
        return .word(word)
    }
}
