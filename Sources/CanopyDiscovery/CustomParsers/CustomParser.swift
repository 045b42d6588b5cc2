package import CanopyCore
import Yams

/// A parser built from a ``CustomParserDefinition`` (the reference product's "custom log parser").
package struct CustomParser: LogParser {
    package let definition: CustomParserDefinition
    package let descriptor: ParserDescriptor
    private let timeFormat: TimeFormat
    private let blocked: [[UInt8]]
    private let comment: [UInt8]
    private let delimiter: UInt8
    private let quote: UInt8?
    private let pairSeparator: UInt8
    private let valueSeparator: UInt8
    /// Column name → index, from `csv.columns` or the header line.
    private var columns: [String: Int] = [:]
    private var headerSeen: Bool
    private var splitter = FieldSplitter()
    private var pairs: KeyValueScanner
    private var scratch: [UInt8] = []

    /// Builds the parser; throws ``CustomParserError`` listing every problem of the definition.
    package init(definition: CustomParserDefinition) throws {
        let problems = definition.problems()
        guard problems.isEmpty else { throw CustomParserError(id: definition.id, problems: problems) }
        self.definition = definition
        self.timeFormat = TimeFormat(definition.fields.timeFormat ?? "auto") ?? .automatic
        self.blocked = (definition.blockedValues ?? []).map { Array($0.lowercased().utf8) }
        self.comment = Array((definition.commentPrefix ?? "#").utf8)
        func byte(_ s: String?, _ fallback: UInt8) -> UInt8 {
            guard let s else { return fallback }
            if s == "\\t" || s == "tab" { return 9 }
            return s.utf8.first ?? fallback
        }
        self.delimiter = byte(definition.csv?.delimiter, UInt8(ascii: ","))
        let q = definition.csv?.quote ?? "\""
        self.quote = q.isEmpty ? nil : q.utf8.first
        self.pairSeparator = byte(definition.keyvalue?.pairSeparator, 32)
        self.valueSeparator = byte(definition.keyvalue?.valueSeparator, UInt8(ascii: "="))
        self.pairs = KeyValueScanner(pairSeparator: pairSeparator, keyValueSeparator: valueSeparator)
        for (i, name) in (definition.csv?.columns ?? []).enumerated() { columns[name] = i }
        self.headerSeen = definition.type != .csv || definition.csv?.header != true
        let emitted: [(String?, String)] = [
            (definition.fields.time ?? definition.fields.date, "time"), (definition.fields.sourceIP, "net.src_ip"),
            (definition.fields.user, "user.name"), (definition.fields.device, "device.name"),
            (definition.fields.destinationHost ?? definition.fields.url, "net.dst_host"),
            (
                definition.fields.destinationIP ?? definition.fields.url ?? definition.fields.destinationHost,
                "net.dst_ip"
            ),
            (definition.fields.destinationPort ?? definition.fields.url, "net.dst_port"),
            (definition.fields.url, "http.url"), (definition.fields.method, "http.method"),
            (definition.fields.status, "http.status"), (definition.fields.bytesUp, "net.bytes_up"),
            (definition.fields.bytesDown, "net.bytes_down"), (definition.fields.bytesTotal, "net.bytes_total"),
            (definition.fields.action, "event.action"), (definition.fields.userAgent, "http.user_agent"),
        ]
        self.descriptor = ParserDescriptor(
            id: definition.id,
            product: definition.name ?? definition.id,
            summary: "Custom \(definition.type == .csv ? "CSV" : "key-value") format defined in YAML.",
            sample: "",
            fields: emitted.filter { $0.0 != nil }.map(\.1)
        )
    }

    /// Reads a definition from YAML text.
    ///
    /// - Throws: ``CustomParserError`` for YAML that is not a valid definition.
    package init(yaml: String) throws {
        let definition: CustomParserDefinition
        do {
            definition = try YAMLDecoder().decode(CustomParserDefinition.self, from: yaml)
        } catch {
            throw CustomParserError(id: "?", problems: ["not a custom parser definition: \(error)"])
        }
        try self.init(definition: definition)
    }

    package mutating func parse(_ line: Bytes, context: ParseContext, into record: inout TrafficRecord) -> LineOutcome {
        if !comment.isEmpty, line.count >= comment.count, Array(line.sub(0..<comment.count)) == comment {
            return .ignored(.header)
        }
        switch definition.type {
        case .csv:
            guard splitter.split(line, separator: delimiter, quote: quote) else { return .rejected(.unbalancedQuotes) }
            if !headerSeen {
                headerSeen = true
                columns = [:]
                for i in 0..<splitter.count {
                    columns[splitter.field(i, in: line).trimmed.unquoted.string] = i
                }
                return .ignored(.header)
            }
        case .keyvalue:
            guard pairs.scan(line) else { return .rejected(.unbalancedQuotes) }
            if pairs.count == 0 { return .rejected(.notThisFormat) }
        }
        return map(line, context).deliver(into: &record)
    }

    private mutating func map(_ line: Bytes, _ context: ParseContext) -> ParseResult {
        let f = definition.fields
        var record = TrafficRecord()
        // Time.
        if let ref = f.time {
            guard let v = value(ref, line), let t = timeFormat.parse(v.trimmed, defaultYear: context.defaultYear) else {
                return .rejected(value(ref, line) == nil ? .truncated : .badTimestamp)
            }
            record.time = t
        } else if let dateRef = f.date, let timeRef = f.timeOfDay {
            guard let d = value(dateRef, line), let t = value(timeRef, line) else { return .rejected(.truncated) }
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: d.trimmed)
            scratch.append(32)
            scratch.append(contentsOf: t.trimmed)
            let parsed = scratch.withUnsafeBufferPointer { timeFormat.parse($0, defaultYear: context.defaultYear) }
            guard let parsed else { return .rejected(.badTimestamp) }
            record.time = parsed
        }
        if let ref = f.sourceIP, let v = value(ref, line), !v.trimmed.isPlaceholder {
            guard let ip = v.trimmed.ipAddress else { return .rejected(.badAddress) }
            record.sourceIP = ip
        }
        if let ref = f.user, let v = value(ref, line) { record.apply(user: v) }
        if let ref = f.device, let v = value(ref, line), !v.trimmed.isPlaceholder { record.device = v.trimmed.string }
        if let ref = f.destinationHost, let v = value(ref, line) { record.apply(host: v) }
        if let ref = f.destinationIP, let v = value(ref, line), !v.trimmed.isPlaceholder {
            guard let ip = v.trimmed.ipAddress else { return .rejected(.badAddress) }
            record.destinationIP = ip
        }
        if let ref = f.destinationPort, let v = value(ref, line), !v.trimmed.isPlaceholder {
            guard let p = v.trimmed.port else { return .rejected(.badNumber) }
            record.destinationPort = p
        }
        if let ref = f.url, let v = value(ref, line) { record.apply(url: v.trimmed, context: context) }
        if let ref = f.method, let v = value(ref, line) { record.apply(method: v.trimmed) }
        if let ref = f.status, let v = value(ref, line), !v.trimmed.isPlaceholder {
            guard v.trimmed.decimal != nil else { return .rejected(.badNumber) }
            record.status = v.trimmed.httpStatus
        }
        for (ref, keyPath) in [
            (f.bytesUp, \TrafficRecord.bytesUp), (f.bytesDown, \TrafficRecord.bytesDown),
            (f.bytesTotal, \TrafficRecord.bytesTotal),
        ] {
            guard let ref, let v = value(ref, line), !v.trimmed.isPlaceholder else { continue }
            guard let n = v.trimmed.decimal else { return .rejected(.badNumber) }
            record[keyPath: keyPath] = n
        }
        if let ref = f.userAgent, let v = value(ref, line) { record.apply(userAgent: v, context: context) }
        if let ref = f.action, let v = value(ref, line), !v.trimmed.isPlaceholder {
            let word = Array(v.trimmed.lowercasedString.utf8)
            record.action = blocked.contains(word) ? .blocked : .allowed
        }
        guard record.destinationHost != nil || record.destinationIP != nil else { return .rejected(.noDestination) }
        return .record(record)
    }

    /// The bytes of a column, key or `#position`; nil when the line does not have it.
    private func value(_ ref: String, _ line: Bytes) -> Bytes? {
        if ref.hasPrefix("#"), let n = Int(ref.dropFirst()), n >= 1 {
            switch definition.type {
            case .csv: return n <= splitter.count ? splitter.field(n - 1, in: line) : nil
            case .keyvalue: return n <= pairs.count ? pairs.value(n - 1) : nil
            }
        }
        switch definition.type {
        case .csv:
            guard let i = columns[ref], i < splitter.count else { return nil }
            return splitter.field(i, in: line)
        case .keyvalue:
            guard let i = pairs.indexOf(bytes: Array(ref.utf8)) else { return nil }
            return pairs.value(i)
        }
    }
}

/// A custom parser definition that cannot be used, with every problem found.
package struct CustomParserError: Error, Sendable, CustomStringConvertible {
    package var id: String
    package var problems: [String]
    package var description: String { "custom parser \(id): " + problems.joined(separator: "; ") }
}
