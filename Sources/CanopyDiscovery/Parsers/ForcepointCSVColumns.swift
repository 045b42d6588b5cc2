import CanopyCore

/// Where each field sits in a Forcepoint Web Security Cloud SIEM CSV file, learnt from its header row.
struct ForcepointCSVColumns: Sendable {
    var dateTime: Int?
    var date: Int?
    var time: Int?
    var user: Int?
    var sourceIP: Int?
    var connectionIP: Int?
    var destinationIP: Int?
    var domain: Int?
    var url: Int?
    var port: Int?
    var method: Int?
    var status: Int?
    var bytesSent: Int?
    var bytesReceived: Int?
    var action: Int?
    var userAgent: Int?
    /// Rows must reach the last mapped column.
    private(set) var minimumCount = 0

    /// The 32 web columns, in the order Forcepoint's Cloud Security Gateway export tool for Microsoft Sentinel
    /// reads them (`fp-bd-csg-azure-sentinel`, `CsgLogWeb`): used for rows of exactly that width when a file's
    /// header row is missing.
    static let sampleColumnCount = 32
    static let sampleLayout: ForcepointCSVColumns = {
        var c = ForcepointCSVColumns()
        c.dateTime = 0
        c.action = 2
        c.user = 3
        c.domain = 6
        c.url = 7
        c.connectionIP = 11
        c.destinationIP = 13
        c.sourceIP = 14
        c.userAgent = 22
        c.status = 25
        c.port = 26
        c.bytesReceived = 27
        c.bytesSent = 28
        c.method = 30
        c.minimumCount = sampleColumnCount
        return c
    }()

    private init() {}

    /// Whether a row without a header has the shape of ``sampleLayout``: 32 columns, a time first, an action word
    /// and a source or connection address where that layout has them.
    static func isDefaultRow(_ fields: FieldSplitter, line: Bytes, context: ParseContext) -> Bool {
        let l = sampleLayout
        guard fields.count == sampleColumnCount, let t = l.dateTime, let a = l.action, let s = l.sourceIP,
            let c = l.connectionIP
        else { return false }
        guard SIEMTimestamp.parse(fields.field(t, in: line), defaultYear: context.defaultYear) != nil,
            CEFTraffic.action(fields.field(a, in: line)) != nil
        else { return false }
        return IPAddress(bytes: fields.field(s, in: line).trimmed) != nil
            || IPAddress(bytes: fields.field(c, in: line).trimmed) != nil
    }

    /// Reads a header row; nil when the fields are not column names (at least three known names, no data).
    init?(header fields: FieldSplitter, line: Bytes) {
        var known = 0
        for i in 0..<fields.count {
            let name = Self.normalized(fields.field(i, in: line))
            guard !name.isEmpty else { continue }
            if let slot = Self.slot(for: name) {
                known += 1
                if let slot { self[keyPath: slot] = self[keyPath: slot] ?? i }
                minimumCount = max(minimumCount, i + 1)
            } else if name.first.map({ $0 >= 48 && $0 <= 57 }) == true {
                return nil  // A value that starts with a digit: a data row.
            }
        }
        guard known >= 3 else { return nil }
    }

    /// Builds the record from one data row.
    func record(from fields: FieldSplitter, line: Bytes, context: ParseContext) -> ParseResult {
        var r = TrafficRecord()
        func field(_ index: Int?) -> Bytes? {
            guard let index, index < fields.count else { return nil }
            let v = fields.field(index, in: line).trimmed
            return v.isPlaceholder || v.equalsCaseInsensitive("not available") ? nil : v
        }
        if let dt = field(dateTime) {
            guard let t = SIEMTimestamp.parse(dt, defaultYear: context.defaultYear) else {
                return .rejected(.badTimestamp)
            }
            r.time = t
        } else if let d = field(date) {
            var joined = Array(d)
            if let t = field(time) {
                joined.append(32)
                joined.append(contentsOf: t)
            }
            let parsed = joined.withUnsafeBufferPointer { SIEMTimestamp.parse($0, defaultYear: context.defaultYear) }
            guard let parsed else { return .rejected(.badTimestamp) }
            r.time = parsed
        }
        guard SIEMValue.setSource(field(sourceIP) ?? field(connectionIP), in: &r),
            SIEMValue.setDestinationAddress(field(destinationIP), in: &r)
        else { return .rejected(.badAddress) }
        guard SIEMValue.setDestinationPort(field(port), in: &r),
            SIEMValue.setBytes(\.bytesUp, field(bytesSent), in: &r),
            SIEMValue.setBytes(\.bytesDown, field(bytesReceived), in: &r)
        else { return .rejected(.badNumber) }
        if let host = field(domain) { r.apply(host: host) }
        if let url = field(url) { r.apply(url: url, context: context) }
        if let user = field(user) { r.apply(user: user) }
        if let method = field(method) { r.apply(method: method) }
        if let ua = field(userAgent) { r.apply(userAgent: ua, context: context) }
        SIEMValue.setStatus(field(status), in: &r)
        if let action = field(action) { r.action = CEFTraffic.action(action) }
        return CEFTraffic.finish(r)
    }

    /// The header name in lowercase letters and digits only: `Date & Time` → `datetime`.
    private static func normalized(_ name: Bytes) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(name.count)
        for b in name {
            if b >= 65 && b <= 90 {
                out.append(b | 0x20)
            } else if (b >= 97 && b <= 122) || (b >= 48 && b <= 57) {
                out.append(b)
            }
        }
        return out
    }

    /// The column a known header name fills: `.some(nil)` for a known name the record does not use, nil for an
    /// unknown name.
    private static func slot(for name: [UInt8]) -> WritableKeyPath<ForcepointCSVColumns, Int?>?? {
        func starts(_ prefix: String) -> Bool { name.starts(with: prefix.utf8) }
        func equals(_ literal: String) -> Bool { name.elementsEqual(literal.utf8) }
        if equals("datetime") || equals("dateandtime") || equals("timestamp") { return .some(\.dateTime) }
        if equals("date") { return .some(\.date) }
        if equals("time") { return .some(\.time) }
        if equals("user") || equals("username") || equals("userid") { return .some(\.user) }
        if equals("sourceip") || equals("clientip") { return .some(\.sourceIP) }
        if equals("connectionip") { return .some(\.connectionIP) }
        if equals("destinationip") || equals("serverip") { return .some(\.destinationIP) }
        if equals("domain") || equals("host") || equals("hostname") { return .some(\.domain) }
        if equals("urlfull") || equals("fullurl") || equals("url") { return .some(\.url) }
        if equals("port") || equals("destinationport") { return .some(\.port) }
        if equals("requestmethod") || equals("method") || equals("httpmethod") { return .some(\.method) }
        if equals("httpstatuscode") || equals("statuscode") || equals("httpstatus") { return .some(\.status) }
        if starts("bytessent") { return .some(\.bytesSent) }
        if starts("bytesreceived") { return .some(\.bytesReceived) }
        if equals("action") { return .some(\.action) }
        if equals("useragent") { return .some(\.userAgent) }
        let other = [
            "riskclass", "policyname", "policy", "categoryname", "category", "cloudappname", "cloudappforwarded",
            "cloudappriskclass", "cloudappcategory", "cloudapprisklevel", "connectioniplocation", "connectionipcountry",
            "analyticname", "filesandboxstatus", "severity", "threattype", "threatname", "filename", "filetype",
            "referrerurlfull", "authenticationmethod", "filteringsource", "protocol", "datacenter", "workstation",
        ]
        if other.contains(where: { name.starts(with: $0.utf8) }) { return .some(nil) }
        return nil
    }
}
