package import CanopyCore

/// Cisco Umbrella web (proxy) logs as exported to S3: quoted CSV in the column order of the Umbrella User Guide
/// "Web Log Formats" page (current revision, 49 columns ending in Organization ID):
///
/// 0 timestamp (UTC), 1 policy identity label, 2 internal client IP, 3 external client IP, 4 destination IP,
/// 5 content type, 6 action (ALLOWED/BLOCKED), 7 URL, 8 referer, 9 user agent, 10 status code, 11 request size,
/// 12 response size, 13 response body size, 14 SHA-256, 15 categories, 16 AV detections, 17 PUAs,
/// 18 AMP disposition, 19 AMP malware name, 20 AMP score, 21 policy identity type, 22 blocked categories,
/// 23 identities, 24 identity types, 25 request method, 26 DLP status, 27 certificate errors, 28 file name,
/// 29 ruleset ID, 30 rule ID, 31 destination list IDs, 32 isolate action, 33 file action, 34 warn status,
/// 35 forwarding method, 36 producer, 37 MSP organization ID, 38 blocked destination countries,
/// 39 application IDs, 40 hostname (of the proxy), 41 data center, 42 egress, 43 server name, 44 time-based rule,
/// 45 security overridden, 46 detected response file type, 47 warn categories, 48 organization ID.
///
/// Older schema versions stop earlier (the columns only grow at the end), so any line with at least the first 13
/// columns is read. The optional header row of log schema v11+ is skipped. The request size is the upload, the
/// response size the download. The user is the identity whose type is a kind of user (`AD Users`); a
/// `Roaming Computers`/`AD Computers` identity is the device. Without an internal client IP the external (egress)
/// IP is the source.
package struct CiscoUmbrellaParser: BuiltinLogParser {
    package static let descriptor = ParserDescriptor(
        id: "cisco.umbrella",
        product: "Cisco Umbrella (Secure Web Gateway)",
        summary: "Umbrella web/proxy logs exported to S3 as quoted CSV: timestamp, identity, internal/external client "
            + "IP, destination IP, content type, ALLOWED/BLOCKED, URL, referer, user agent, status, request/response "
            + "size, …, identities and identity types, request method, …, server name. From the Umbrella User "
            + "Guide 'Web Log Formats' (49-column revision) and 'Log Formats and Versioning'.",
        sample: "\"2024-01-02 03:04:05\",\"alice@corp.example\",\"10.0.0.5\",\"203.0.113.9\",\"162.125.1.18\","
            + "\"text/html\",\"ALLOWED\",\"https://www.dropbox.com/home\",\"\",\"Mozilla/5.0\",\"200\",\"562\","
            + "\"14890\",\"14000\",\"\",\"Online Storage and Backup\",\"\",\"\",\"\",\"\",\"\",\"AD Users\",\"\","
            + "\"alice@corp.example,HQ\",\"AD Users,Networks\",\"GET\"",
        fields: [
            "time", "net.src_ip", "user.name", "device.name", "net.dst_host", "net.dst_ip", "net.dst_port",
            "http.url", "http.method", "http.status", "net.bytes_up", "net.bytes_down", "event.action",
            "http.user_agent",
        ]
    )

    private var fields = FieldSplitter()

    package init() {}

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        let text = line.trimmed
        guard !text.isEmpty else { return .rejected(.emptyLine) }
        guard fields.split(text, separator: UInt8(ascii: ","), quote: UInt8(ascii: "\"")) else {
            return .rejected(.unbalancedQuotes)
        }
        let first = column(0, text)
        if first.equalsCaseInsensitive("timestamp") || first.equalsCaseInsensitive("time") {
            return .ignored(.header)
        }
        guard fields.count >= 13 else {
            return .rejected(TimeParsing.iso8601(first) != nil ? .truncated : .notThisFormat)
        }
        guard let time = TimeParsing.iso8601(first) else {
            return .rejected(TimeParsing.digits(first, 0, 4) != nil ? .badTimestamp : .notThisFormat)
        }
        record.time = time
        let verdict = column(6, text)
        if verdict.equals("ALLOWED") {
            record.action = .allowed
        } else if verdict.equals("BLOCKED") {
            record.action = .blocked
        } else if !verdict.isEmpty && !verdict.equals("WARNED") {
            return .rejected(.notThisFormat)
        }
        // Source: the internal client IP, else the egress IP of the network the request came from.
        let inside = column(2, text)
        if !inside.isPlaceholder {
            guard let ip = inside.ipAddress else { return .rejected(.badAddress) }
            record.sourceIP = ip
        } else if !column(3, text).isPlaceholder {
            guard let ip = column(3, text).ipAddress else { return .rejected(.badAddress) }
            record.sourceIP = ip
        }
        let destination = column(4, text)
        if !destination.isPlaceholder {
            guard let ip = destination.ipAddress else { return .rejected(.badAddress) }
            record.destinationIP = ip
        }
        record.apply(url: column(7, text), context: context)
        record.apply(userAgent: column(9, text), context: context)
        let status = column(10, text)
        if !status.isPlaceholder {
            guard status.isAllDigits else { return .rejected(.badNumber) }
            record.status = status.httpStatus
        }
        guard record.apply(bytesUp: column(11, text), bytesDown: column(12, text)) else { return .rejected(.badNumber) }
        if fields.count > 25 { record.apply(method: column(25, text)) }
        applyIdentities(text, into: &record)
        if record.destinationHost == nil, fields.count > 43 { record.apply(host: column(43, text)) }
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return .record
    }

    /// Pairs the identities (23) with their types (24); falls back to the policy identity (1) and its type (21).
    private func applyIdentities(_ text: Bytes, into record: inout TrafficRecord) {
        if fields.count > 24 {
            let names = column(23, text)
            let types = column(24, text)
            if !names.isEmpty, Self.itemCount(names) == Self.itemCount(types) {
                var n = ListItems(names)
                var t = ListItems(types)
                while let name = n.next(), let type = t.next() {
                    Self.apply(identity: name, type: type, into: &record)
                }
                return
            }
        }
        if fields.count > 21 { Self.apply(identity: column(1, text), type: column(21, text), into: &record) }
    }

    /// A user-type identity sets the user, a computer-type identity the device; networks and sites set nothing.
    private static func apply(identity: Bytes, type: Bytes, into record: inout TrafficRecord) {
        if record.user == nil, contains(type, "user") {
            record.apply(user: identity)
        } else if record.device == nil,
            contains(type, "computer") || contains(type, "roaming")
                || contains(type, "mobile device")
        {
            let name = identity.trimmed
            if !name.isPlaceholder { record.device = name.string }
        }
    }

    /// The column, trimmed and without surrounding quotes (the documentation's sample has `, "3.4.5.6"`).
    private func column(_ index: Int, _ text: Bytes) -> Bytes {
        fields.field(index, in: text).trimmed.unquoted
    }

    private static func itemCount(_ list: Bytes) -> Int {
        var count = 1
        for b in list where b == UInt8(ascii: ",") { count += 1 }
        return count
    }

    /// ASCII case-insensitive search for a lowercase literal.
    private static func contains(_ haystack: Bytes, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard n > 0, haystack.count >= n else { return false }
        let p = needle.utf8Start
        outer: for start in 0...(haystack.count - n) {
            for k in 0..<n where haystack[start + k] | 0x20 != p[k] { continue outer }
            return true
        }
        return false
    }
}

/// The comma-separated items of an Umbrella list column, trimmed.
private struct ListItems {
    private let text: Bytes
    private var position = 0

    init(_ text: Bytes) { self.text = text }

    mutating func next() -> Bytes? {
        guard position <= text.count else { return nil }
        let start = position
        var end = start
        while end < text.count, text[end] != UInt8(ascii: ",") { end += 1 }
        position = end + 1
        return text.sub(start..<end).trimmed
    }
}
