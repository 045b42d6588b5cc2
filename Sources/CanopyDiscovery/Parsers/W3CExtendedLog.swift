package import CanopyCore

/// The W3C Extended Log File Format engine, shared by `w3c.extended`, `bluecoat.elff`, `microsoft.tmg` and (with a
/// built-in column list) `bluecoat.syslog`.
///
/// W3C Working Draft WD-logfile-960323: `#` directives (`#Version`, `#Fields`, `#Software`, `#Date`, `#Start-Date`,
/// `#Remark` …), then one entry per line whose fields follow the last `#Fields:` list. Fields are separated by
/// spaces, strings may be double-quoted, `-` means no value, dates are `yyyy-mm-dd` and times `hh:mm[:ss[.s]]`, in
/// UTC. Forefront TMG / ISA Server separate both the `#Fields:` names and the values with tabs (some of its names
/// contain spaces); the engine follows the separator the directive uses. A new `#Fields:` replaces the columns, so
/// concatenated and restarted logs read correctly.
///
/// Columns are found by meaning, with the aliases vendors use for the same thing (``Field``), case-insensitively;
/// unknown names, including application-specific `x-` fields, are skipped. ``record(_:context:serverIsDestination:)``
/// fills everything the standard fields say; each vendor parser adds its action from its own columns.
struct W3CExtendedLog {
    /// What a column means, whatever the vendor calls it.
    enum Field: Int, CaseIterable {
        case date, time, gmtTime, unixTime
        case clientIP, clientDNS, user, userAgent
        case method, uri, uriStem, uriQuery, uriScheme, uriPort, host
        case status, bytesDown, bytesUp, bytesTotal
        case serverIP, serverPort, serverDNS
        case remoteHost, remoteIP, remotePort
        // Blue Coat ProxySG ELFF.
        case proxyAction, filterResult, exceptionID
        // Forefront TMG / ISA Server web proxy.
        case tmgAction, serviceName, objectSource, referredServer, authenticatedClient, filterInfo
        case clientNetwork, serverNetwork, cacheInfo

        /// Field names as logged (compared case-insensitively) and what they mean.
        static let names: [(name: StaticString, field: Field)] = [
            ("date", .date), ("time", .time), ("gmttime", .gmtTime), ("x-timestamp-unix", .unixTime),
            ("c-ip", .clientIP), ("c-dns", .clientDNS), ("cs-username", .user),
            ("cs(user-agent)", .userAgent), ("c-agent", .userAgent),
            ("cs-method", .method), ("s-operation", .method),
            ("cs-uri", .uri), ("cs-uri-stem", .uriStem), ("cs-uri-path", .uriStem), ("cs-uri-query", .uriQuery),
            ("cs-uri-scheme", .uriScheme), ("cs-uri-port", .uriPort), ("cs-host", .host), ("cs(host)", .host),
            ("sc-status", .status), ("sc-bytes", .bytesDown), ("cs-bytes", .bytesUp), ("bytes", .bytesTotal),
            ("s-ip", .serverIP), ("s-port", .serverPort), ("s-dns", .serverDNS),
            ("r-host", .remoteHost), ("r-dns", .remoteHost), ("r-ip", .remoteIP), ("r-port", .remotePort),
            ("s-action", .proxyAction), ("sc-filter-result", .filterResult), ("x-exception-id", .exceptionID),
            ("action", .tmgAction), ("s-svcname", .serviceName), ("s-object-source", .objectSource),
            ("cs-referred", .referredServer), ("sc-authenticated", .authenticatedClient),
            ("filterinfo", .filterInfo), ("cs-network", .clientNetwork), ("sc-network", .serverNetwork),
            ("s-cache-info", .cacheInfo),
        ]

        /// The meaning of a column name, if it is one the engine knows.
        static func named(_ name: Bytes) -> Field? {
            for entry in names where name.equalsCaseInsensitive(entry.name) { return entry.field }
            return nil
        }
    }

    /// Where each ``Field`` is in a line, from a `#Fields:` directive or a built-in list.
    struct Columns {
        /// Column index by `Field.rawValue`, or -1.
        /// Room for 40 fields (``Field`` has 36; ``note(_:at:)`` checks).
        private(set) var slots = InlineArray<40, Int16>(repeating: -1)
        /// How many columns a full line has.
        private(set) var count = 0
        /// How many columns a line must have: fewer than ``count`` when trailing columns are optional.
        private(set) var requiredCount = 0
        /// Tab-separated values (Forefront TMG / ISA) instead of spaces with quoted strings.
        private(set) var tabSeparated = false

        /// Columns from the names after `#Fields:`.
        init(directive names: Bytes) {
            tabSeparated = names.index(of: 9) != nil
            var splitter = FieldSplitter()
            if tabSeparated {
                splitter.split(names, separator: 9)
            } else {
                splitter.splitWhitespace(names, quoted: false)
            }
            for i in 0..<splitter.count {
                let name = splitter.field(i, in: names).trimmed
                if name.isEmpty, i == splitter.count - 1 { break }
                note(name, at: count)
                count += 1
            }
            requiredCount = count
        }

        /// Columns from a built-in list of space-separated `names`, optionally followed by `optionalTrailing`
        /// columns the engine does not read and a line may leave out.
        init(names: [StaticString], optionalTrailing: Int = 0) {
            for name in names {
                name.withUTF8Buffer { note($0, at: count) }
                count += 1
            }
            requiredCount = count
            count += optionalTrailing
        }

        private mutating func note(_ name: Bytes, at index: Int) {
            precondition(Field.allCases.count <= slots.count, "W3C Columns.slots must have room for every Field")
            guard index <= Int(Int16.max) else { return }
            if let field = Field.named(name), slots[field.rawValue] < 0 { slots[field.rawValue] = Int16(index) }
        }

        /// The column of `field`, if the line has one.
        func index(of field: Field) -> Int? {
            let i = slots[field.rawValue]
            return i >= 0 ? Int(i) : nil
        }

        /// Whether the line names a remote server (`r-host`, `r-ip`, `r-port`): the log is a proxy's.
        var namesRemoteServer: Bool {
            slots[Field.remoteHost.rawValue] >= 0 || slots[Field.remoteIP.rawValue] >= 0
                || slots[Field.remotePort.rawValue] >= 0
        }

        /// Whether any of `fields` has a column.
        func hasAny(_ fields: [Field]) -> Bool {
            fields.contains { slots[$0.rawValue] >= 0 }
        }
    }

    /// The columns of the last `#Fields:` (or a built-in list); nil before any.
    var columns: Columns? {
        didSet { columnOf = columns?.slots ?? InlineArray(repeating: -1) }
    }
    /// ``columns``' column index by `Field.rawValue` (-1: none), kept beside it so that the per-field lookups read
    /// it in place: going through the optional copied the whole table per lookup (measured: 8 % of W3C parsing).
    private var columnOf = InlineArray<40, Int16>(repeating: -1)
    /// Whether ``columns`` came from a `#Fields:` directive of this input.
    private(set) var hasDirective = false
    /// The day of the last `#Date:` directive, for a `time` column without a `date` column.
    private var directiveDay: (year: Int, month: Int, day: Int)?
    private var fields = FieldSplitter()
    /// How many fields the last data line split has.
    private(set) var fieldCount = 0

    init(columns: Columns? = nil) {
        self.columns = columns
    }

    // MARK: Lines

    /// Handles a `#` directive line: remembers `#Fields:` and `#Date:`, ignores the others as headers.
    ///
    /// - Returns: nil for a data line.
    mutating func directive(_ line: Bytes) -> LineOutcome? {
        guard line.count > 0, line[0] == UInt8(ascii: "#") else { return nil }
        readDirective(line)
        return .ignored(.header)
    }

    /// Parses each LF-separated line of a buffer that starts with a `#` directive (a descriptor sample: `#Fields:`,
    /// then data) and gives the last line's result; any other buffer is one line. The line reader never passes
    /// several lines.
    static func eachLine(
        of line: Bytes,
        into record: inout TrafficRecord,
        _ parse: (Bytes, inout TrafficRecord) -> LineOutcome
    ) -> LineOutcome {
        guard line.count > 0, line[0] == UInt8(ascii: "#"), line.index(of: 10) != nil else {
            return parse(line, &record)
        }
        var result = LineOutcome.ignored(.header)
        var start = 0
        while start < line.count {
            let end = line.index(of: 10, from: start) ?? line.count
            record = TrafficRecord()
            result = parse(line.sub(start..<end), &record)
            start = end + 1
        }
        return result
    }

    private mutating func readDirective(_ line: Bytes) {
        if line.count >= 8, line.sub(0..<8).equalsCaseInsensitive("#fields:") {
            let parsed = Columns(directive: line.dropFirst(8))
            columns = parsed.count > 0 ? parsed : nil
            hasDirective = columns != nil
        } else if line.count >= 6, line.sub(0..<6).equalsCaseInsensitive("#date:") {
            let value = line.dropFirst(6).trimmed
            if value.count >= 10, let day = W3CExtendedLog.day(value.sub(0..<10)) { directiveDay = day }
        }
    }

    /// Splits a data line into the current columns.
    ///
    /// - Returns: why the line cannot be read, or nil.
    mutating func split(_ line: Bytes) -> ReasonCode? {
        guard let columns else { return .missingHeader }
        if columns.tabSeparated {
            fields.split(line, separator: 9)
        } else if !fields.splitWhitespace(line, quoted: true) {
            return .unbalancedQuotes
        }
        fieldCount = fields.count
        // A trailing separator adds empty fields, not columns.
        while fieldCount > columns.count, fields.field(fieldCount - 1, in: line).trimmed.isEmpty { fieldCount -= 1 }
        return checkCount()
    }

    /// Reads the line already split with other columns of the same separator (a built-in list chosen by the
    /// number of fields).
    ///
    /// - Returns: why the line does not fit `columns`, or nil.
    mutating func select(_ columns: Columns) -> ReasonCode? {
        self.columns = columns
        return checkCount()
    }

    private func checkCount() -> ReasonCode? {
        guard let columns else { return .missingHeader }
        if fieldCount < columns.requiredCount { return fieldCount <= 1 ? .notThisFormat : .truncated }
        if fieldCount > columns.count { return .notThisFormat }
        return nil
    }

    /// The value of `field` in the last line split, without surrounding blanks; nil when there is no such column.
    @inline(__always)
    func value(_ field: Field, in line: Bytes) -> Bytes? {
        let i = Int(columnOf[field.rawValue])
        guard i >= 0, i < fieldCount else { return nil }
        return fields.field(i, in: line).trimmed
    }

    /// Like ``value(_:in:)`` but nil for placeholders (`-`, empty …) too.
    @inline(__always)
    func present(_ field: Field, in line: Bytes) -> Bytes? {
        guard let v = value(field, in: line), !v.isPlaceholder else { return nil }
        return v
    }

    // MARK: Records

    /// Fills `r` (empty on entry) with everything the standard fields of the last line split say.
    ///
    /// - Parameters:
    ///   - line: the line last given to ``split(_:)``.
    ///   - r: the record to fill.
    ///   - context: settings of the input.
    ///   - serverIsDestination: whether `s-ip`, `s-port` and `s-dns` name the destination when nothing else does (a
    ///     web server's own log, such as IIS); false for proxies, where they name the proxy.
    /// - Returns: `.record`, or why the line was rejected (a bad value, no destination).
    func record(
        _ line: Bytes,
        into r: inout TrafficRecord,
        context: ParseContext,
        serverIsDestination: Bool
    ) -> LineOutcome {
        switch time(line) {
        case .bad: return .rejected(.badTimestamp)
        case .missing: break
        case .value(let t): r.time = t
        }
        if let v = present(.clientIP, in: line) {
            guard let ip = v.ipAddress else { return .rejected(.badAddress) }
            r.sourceIP = ip
        }
        if let v = present(.clientDNS, in: line), IPAddress(bytes: v) == nil { r.device = v.string }
        if let v = present(.user, in: line) { r.apply(user: v) }
        if let v = present(.method, in: line), !v.equalsCaseInsensitive("unknown") { r.apply(method: v) }
        if let v = present(.status, in: line) {
            guard v.isAllDigits else { return .rejected(.badNumber) }
            r.status = v.httpStatus
        }
        switch (Self.count(value(.bytesDown, in: line)), Self.count(value(.bytesUp, in: line))) {
        case (.bad, _), (_, .bad): return .rejected(.badNumber)
        case (let down, let up):
            r.bytesDown = down.value
            r.bytesUp = up.value
        }
        switch Self.count(value(.bytesTotal, in: line)) {
        case .bad: return .rejected(.badNumber)
        case let total: r.bytesTotal = total.value
        }
        if context.capturesDetail, case let i = Int(columnOf[Field.userAgent.rawValue]), i >= 0, i < fieldCount,
            let agent = fields.string(i, in: line)
        {
            r.userAgent = agent
        }
        if let reason = applyDestination(line, to: &r, context: context, serverIsDestination: serverIsDestination) {
            return .rejected(reason)
        }
        guard r.destinationHost != nil || r.destinationIP != nil else { return .rejected(.noDestination) }
        return .record
    }

    /// URL, host, IP and port, from the most specific columns to the least.
    private func applyDestination(
        _ line: Bytes,
        to r: inout TrafficRecord,
        context: ParseContext,
        serverIsDestination: Bool
    ) -> ReasonCode? {
        // Explicit ports first, so that a URL's scheme default does not override them.
        if let v = present(.uriPort, in: line) ?? present(.remotePort, in: line) {
            guard let port = v.port else { return .badNumber }
            r.destinationPort = port
        }
        var urlIsAbsolute = false
        if let uri = present(.uri, in: line) {
            urlIsAbsolute = URLParts.hostRange(in: uri) != nil
            r.apply(url: uri, context: context)
        } else if let stem = present(.uriStem, in: line) {
            urlIsAbsolute = applyURL(stem: stem, line, to: &r, context: context)
        }
        if let v = present(.host, in: line) { WebAuthority.apply(v, to: &r) }
        if r.destinationHost == nil, let v = present(.remoteHost, in: line) { WebAuthority.apply(v, to: &r) }
        if let v = present(.remoteIP, in: line) {
            guard let ip = v.ipAddress else { return .badAddress }
            if r.destinationIP == nil { r.destinationIP = ip }
        }
        guard serverIsDestination, !urlIsAbsolute, columns?.namesRemoteServer == false else { return nil }
        // A web server's own log: the server is the destination.
        if r.destinationHost == nil, let v = present(.serverDNS, in: line), IPAddress(bytes: v) == nil {
            r.apply(host: v)
        }
        if let v = present(.serverIP, in: line) {
            guard let ip = v.ipAddress else { return .badAddress }
            if r.destinationIP == nil { r.destinationIP = ip }
        }
        if r.destinationPort == nil, let v = present(.serverPort, in: line) {
            guard let port = v.port else { return .badNumber }
            r.destinationPort = port
        }
        return nil
    }

    /// Sets the URL from `cs-uri-stem`/`cs-uri-path` and `cs-uri-query`, made absolute with `cs-uri-scheme`,
    /// `cs-host` and `cs-uri-port` when the scheme is a web one (Blue Coat logs the parts, not the URL); a tunnel's
    /// scheme (`tcp`, `ssl`) gives no URL.
    ///
    /// - Returns: whether the URL is absolute.
    private func applyURL(stem: Bytes, _ line: Bytes, to r: inout TrafficRecord, context: ParseContext) -> Bool {
        let query = present(.uriQuery, in: line)
        var scheme: Bytes?
        if let s = present(.uriScheme, in: line) {
            // A tunnel (`tcp`, `ssl`) has no URL; its path is a placeholder `/`.
            guard s.equalsCaseInsensitive("http") || s.equalsCaseInsensitive("https") || s.equalsCaseInsensitive("ftp")
            else { return false }
            scheme = s
        }
        let host = present(.host, in: line)
        let absolute = scheme != nil && host != nil
        if !absolute, !context.capturesDetail { return false }
        var url: [UInt8] = []
        url.reserveCapacity(stem.count + (query?.count ?? 0) + 64)
        if let scheme, let host {
            url.append(contentsOf: scheme)
            url.append(contentsOf: "://".utf8)
            url.append(contentsOf: host)
            if let port = present(.uriPort, in: line), port.port != Self.defaultPort(scheme) {
                url.append(UInt8(ascii: ":"))
                url.append(contentsOf: port)
            }
        }
        url.append(contentsOf: stem)
        if let query {
            if query[0] != UInt8(ascii: "?") { url.append(UInt8(ascii: "?")) }
            url.append(contentsOf: query)
        }
        url.withUnsafeBufferPointer { r.apply(url: $0, context: context) }
        return absolute
    }

    private static func defaultPort(_ scheme: Bytes) -> Int? {
        if scheme.equalsCaseInsensitive("http") { return 80 }
        if scheme.equalsCaseInsensitive("https") { return 443 }
        if scheme.equalsCaseInsensitive("ftp") { return 21 }
        return nil
    }

    // MARK: Values

    /// A byte count column's value.
    private enum Count {
        case absent
        case number(Int64)
        case bad

        var value: Int64? {
            if case .number(let n) = self { return n }
            return nil
        }
    }

    private static func count(_ v: Bytes?) -> Count {
        guard let v, !v.isPlaceholder else { return .absent }
        if let n = v.decimal { return .number(n) }
        // A negative count means "not provided" (Forefront TMG writes -1 or -4).
        if v.count > 1, v[0] == UInt8(ascii: "-"), v.dropFirst(1).isAllDigits { return .absent }
        return .bad
    }

    private enum TimeValue {
        case missing
        case value(Timestamp)
        case bad
    }

    /// The entry's time: `date` + `time` (or the `#Date:` day + `time`), else `gmttime`, else `x-timestamp-unix`.
    private func time(_ line: Bytes) -> TimeValue {
        if let t = present(.time, in: line) {
            if let d = present(.date, in: line) {
                guard let day = Self.day(d) else { return .bad }
                return Self.timestamp(day: day, time: t).map(TimeValue.value) ?? .bad
            }
            // A time without any date cannot be placed: leave it out rather than guess the day.
            guard let day = directiveDay else { return value(.date, in: line) == nil ? .missing : .bad }
            return Self.timestamp(day: day, time: t).map(TimeValue.value) ?? .bad
        }
        if let g = present(.gmtTime, in: line) { return TimeParsing.clf(g).map(TimeValue.value) ?? .bad }
        if let u = present(.unixTime, in: line) { return TimeParsing.epoch(u).map(TimeValue.value) ?? .bad }
        return .missing
    }

    /// `yyyy-mm-dd`.
    static func day(_ b: Bytes) -> (year: Int, month: Int, day: Int)? {
        guard b.count == 10, let y = TimeParsing.digits(b, 0, 4), b[4] == UInt8(ascii: "-"),
            let m = TimeParsing.digits(b, 5, 2), b[7] == UInt8(ascii: "-"), let d = TimeParsing.digits(b, 8, 2)
        else { return nil }
        return (y, m, d)
    }

    /// Joins a W3C date and a `hh:mm[:ss[.fff]]` time (UTC) into a timestamp; nil if either is impossible.
    static func timestamp(day: (year: Int, month: Int, day: Int), time b: Bytes) -> Timestamp? {
        guard b.count >= 5, let h = TimeParsing.digits(b, 0, 2), b[2] == UInt8(ascii: ":"),
            let mi = TimeParsing.digits(b, 3, 2)
        else { return nil }
        var s = 0
        var ms = 0
        var i = 5
        if i < b.count {
            guard b[i] == UInt8(ascii: ":"), let sec = TimeParsing.digits(b, i + 1, 2) else { return nil }
            s = sec
            i += 3
            if i < b.count {
                guard b[i] == UInt8(ascii: ".") else { return nil }
                i += 1
                guard let fraction = TimeParsing.milliseconds(b, &i), i == b.count else { return nil }
                ms = fraction
            }
        }
        return Timestamp(
            year: day.year,
            month: day.month,
            day: day.day,
            hour: h,
            minute: mi,
            second: s,
            millisecond: ms
        )
    }
}

/// A parser for a W3C extended log dialect (generic W3C, Blue Coat ELFF, Forefront TMG): it reads one line at a
/// time with a ``W3CExtendedLog``; a descriptor sample of several lines (`#Fields:`, then data) is fed line by line.
package protocol W3CDialectParser: BuiltinLogParser {
    /// Parses one line (a directive or data) into `record`.
    mutating func parseLine(_ line: Bytes, into record: inout TrafficRecord, context: ParseContext) -> LineOutcome
}

extension W3CDialectParser {
    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        W3CExtendedLog.eachLine(of: line, into: &record) { parseLine($0, into: &$1, context: context) }
    }
}
