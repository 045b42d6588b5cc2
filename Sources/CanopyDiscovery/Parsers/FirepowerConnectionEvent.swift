import CanopyCore

/// Reads the body of a Firepower connection event (FTD syslog 430002 "connection start" and 430003 "connection
/// end") into a record.
///
/// A connection counts once, from its end event (which carries the byte counts): a valid start event is
/// `.ignored(.sessionStart)`, also when the access control rule logs at the beginning of connections only.
///
/// The body is `Key: value, Key: value, …` as listed under "Connection and Security-Related Connection Event Fields"
/// in the Secure Firewall Threat Defense syslog guide. Keys may hold spaces (`Prefilter Policy`) and values may hold
/// `, ` (a User-Agent's `(KHTML, like Gecko)`), so a pair ends only at a `, ` that is followed by a key and `: `.
/// The initiator is the client: `InitiatorBytes` are uploaded, `ResponderBytes` downloaded.
// @unchecked: `base` points into the line being parsed and is only read during that parse call.
struct FirepowerConnectionEvent: @unchecked Sendable {
    private var keys: [Range<Int>] = []
    private var values: [Range<Int>] = []
    private var base = Bytes(start: nil, count: 0)

    init() {
        keys.reserveCapacity(64)
        values.reserveCapacity(64)
    }

    /// Whether this message id is a connection event.
    static func isConnectionEvent(_ id: Int) -> Bool { id == connectionStart || id == 430_003 }

    /// The message id of the connection-start event.
    private static let connectionStart = 430_002

    /// Turns an event body into a record; the time comes from the syslog header. A start event (`messageID`
    /// 430002) is read and checked the same way but ignored as `.sessionStart`.
    mutating func record(from body: Bytes, messageID: Int, time: Timestamp?, context: ParseContext) -> ParseResult {
        scan(body)
        guard let dst = value(for: "DstIP") else {
            return .rejected(keys.isEmpty ? .notThisFormat : .truncated)
        }
        var record = TrafficRecord()
        record.time = time
        if let src = value(for: "SrcIP"), !src.isPlaceholder {
            guard let ip = src.ipAddress else { return .rejected(.badAddress) }
            record.sourceIP = ip
        }
        if !dst.isPlaceholder {
            guard let ip = dst.ipAddress else { return .rejected(.badAddress) }
            record.destinationIP = ip
        }
        if let port = value(for: "DstPort"), !port.isPlaceholder {
            guard let p = port.port else { return .rejected(.badNumber) }
            record.destinationPort = p
        }
        if let url = value(for: "URL") { record.apply(url: url, context: context) }
        if record.destinationHost == nil, let host = value(for: "ReferencedHost"),
            let r = URLParts.hostRange(in: host)
        {
            record.apply(host: host.sub(r))
        }
        if let user = value(for: "User"), !Self.isNoUser(user) { record.apply(user: user) }
        if let agent = value(for: "UserAgent") { record.apply(userAgent: agent, context: context) }
        if let status = value(for: "HTTPResponse") { record.status = status.httpStatus }
        if let up = value(for: "InitiatorBytes"), !up.isPlaceholder {
            guard let v = up.decimal else { return .rejected(.badNumber) }
            record.bytesUp = v
        }
        if let down = value(for: "ResponderBytes"), !down.isPlaceholder {
            guard let v = down.decimal else { return .rejected(.badNumber) }
            record.bytesDown = v
        }
        if let action = value(for: "AccessControlRuleAction") { record.action = Self.action(action) }
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return messageID == Self.connectionStart ? .ignored(.sessionStart) : .record(record)
    }

    /// Allow, Trust, Fastpath and Monitor let the connection through; Block and Interactive Block (with or without
    /// reset) stop it. "Default Action" and an empty action say neither.
    static func action(_ word: Bytes) -> TrafficAction? {
        let w = word.trimmed
        if w.equalsCaseInsensitive("allow") || w.equalsCaseInsensitive("trust") || w.equalsCaseInsensitive("fastpath")
            || w.equalsCaseInsensitive("monitor")
        {
            return .allowed
        }
        if w.hasPrefix("Block") || w.hasPrefix("Interactive Block") { return .blocked }
        return nil
    }

    /// The identities FTD writes when it knows no user.
    private static func isNoUser(_ user: Bytes) -> Bool {
        let u = user.trimmed
        return u.isPlaceholder || u.equalsCaseInsensitive("no authentication required")
            || u.equalsCaseInsensitive("not found") || u.equalsCaseInsensitive("unknown")
            || u.equalsCaseInsensitive("failed authentication")
    }

    /// The value of the first pair with this key.
    func value(for key: StaticString) -> Bytes? {
        let n = key.utf8CodeUnitCount
        let p = key.utf8Start
        outer: for i in 0..<keys.count {
            let r = keys[i]
            guard r.count == n else { continue }
            for k in 0..<n where base[r.lowerBound + k] != p[k] { continue outer }
            return base.sub(values[i])
        }
        return nil
    }

    private mutating func scan(_ body: Bytes) {
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        base = body
        let n = body.count
        var i = 0
        while i < n {
            guard let colon = keyEnd(from: i) else { return }
            let valueStart = min(colon + 2, n)
            var end = n
            var next = n
            var j = valueStart
            while let comma = body.index(of: UInt8(ascii: ","), from: j) {
                if comma + 1 < n, body[comma + 1] == 32, keyEnd(from: comma + 2) != nil {
                    end = comma
                    next = comma + 2
                    break
                }
                j = comma + 1
            }
            keys.append(i..<colon)
            var e = end
            while e > valueStart, body[e - 1] == 32 { e -= 1 }
            values.append(valueStart..<e)
            i = next
        }
    }

    /// Where a key starting at `start` ends: the `:` followed by a space or the end of the body. Keys are 1–64
    /// letters, digits, spaces and underscores, starting with a letter.
    private func keyEnd(from start: Int) -> Int? {
        let n = base.count
        guard start < n, (base[start] | 0x20) >= 97, (base[start] | 0x20) <= 122 else { return nil }
        var i = start
        while i < n, i - start <= 64 {
            let c = base[i]
            if c == UInt8(ascii: ":") { return i + 1 >= n || base[i + 1] == 32 ? i : nil }
            let lower = c | 0x20
            guard (lower >= 97 && lower <= 122) || (c >= 48 && c <= 57) || c == 32 || c == 95 else { return nil }
            i += 1
        }
        return nil
    }
}
