import CanopyCore

/// Reads Zeek's ASCII writer format (the default TSV logs) for one input, shared by the four Zeek TSV parsers.
///
/// The writer starts every file with directives: `#separator \x09`, `#set_separator ,`, `#empty_field (empty)`,
/// `#unset_field -`, `#path http`, `#open …`, `#fields ts uid id.orig_h …`, `#types …`, and ends it with
/// `#close …` (docs.zeek.org, "Logging framework" and `base/frameworks/logging/writers/ascii.zeek`). The reader
/// remembers the separator, the two markers and the `#fields` columns, and maps columns by name, so any column
/// order or subset works (`zeek-cut -c` output, custom fields). A new `#separator` starts a new log, so
/// concatenated files read correctly. Values escape the separator and unprintable bytes as `\xHH`.
///
/// Data lines before a `#fields` header are rejected as ``ReasonCode/missingHeader``; data lines of another log
/// (by `#path`, or by the column names when `#path` names none of the four) are rejected as
/// ``ReasonCode/notThisFormat`` so that sniffing picks the right parser.
struct ZeekTSVReader {
    private var separator: UInt8 = 9
    /// False when `#separator` is not one byte: Zeek allows it, but no deployment does, and it is not supported.
    private var separatorIsSupported = true
    private var unsetField: [UInt8] = Array("-".utf8)
    private var emptyField: [UInt8] = Array("(empty)".utf8)
    /// The log `#path` names, if it is one of the four.
    private var pathKind: ZeekLogKind?
    /// The log the `#fields` names point to.
    private var columnKind: ZeekLogKind?
    /// For each ``ZeekField``, its column, or -1.
    private var columns = [Int](repeating: -1, count: ZeekField.count)
    private var columnCount = 0
    private var hasFields = false
    private var fields = FieldSplitter()

    init() {}

    /// Parses one line of a log expected to be `kind`.
    ///
    /// A buffer holding several LF-separated lines (a descriptor sample: `#fields` header, then data) is read line by
    /// line and gives the last line's result; the line reader never passes one.
    mutating func parse(
        _ line: Bytes,
        as kind: ZeekLogKind,
        into record: inout TrafficRecord,
        context: ParseContext
    ) -> LineOutcome {
        guard line.count > 0, line[0] == UInt8(ascii: "#"), line.index(of: 10) != nil else {
            return parseLine(line, as: kind, into: &record, context: context)
        }
        var result = LineOutcome.ignored(.header)
        var start = 0
        while start < line.count {
            let end = line.index(of: 10, from: start) ?? line.count
            record = TrafficRecord()
            result = parseLine(line.sub(start..<end), as: kind, into: &record, context: context)
            start = end + 1
        }
        return result
    }

    private mutating func parseLine(
        _ line: Bytes,
        as kind: ZeekLogKind,
        into record: inout TrafficRecord,
        context: ParseContext
    ) -> LineOutcome {
        if line.count > 0, line[0] == UInt8(ascii: "#") {
            readDirective(line)
            return .ignored(.header)
        }
        guard hasFields else { return .rejected(.missingHeader) }
        guard separatorIsSupported, (pathKind ?? columnKind) == kind else { return .rejected(.notThisFormat) }
        fields.split(line, separator: separator)
        if fields.count < columnCount { return .rejected(fields.count <= 1 ? .notThisFormat : .truncated) }
        if fields.count > columnCount { return .rejected(.notThisFormat) }
        let values = Values(line: line, fields: fields, columns: columns, unset: unsetField, empty: emptyField)
        return ZeekRecordMapper.record(kind, from: values, into: &record, context: context)
    }

    /// Reads a `#` line; unknown directives and comments change nothing.
    private mutating func readDirective(_ line: Bytes) {
        if line.hasPrefix("#separator") {
            // `#separator \x09`: the one directive written with a space, since the separator is not known yet.
            self = ZeekTSVReader()
            let value = ZeekTSVReader.unescaped(line.dropFirst(10).trimmedSpaces)
            if value.count == 1 {
                separator = value[0]
            } else {
                separatorIsSupported = false
            }
            return
        }
        fields.split(line, separator: separator)
        guard fields.count >= 2 else { return }
        let directive = fields.field(0, in: line)
        let value = fields.field(1, in: line)
        if directive.equals("#fields") {
            readFields(line)
        } else if directive.equals("#path") {
            pathKind = ZeekLogKind.path(value)
        } else if directive.equals("#unset_field") {
            unsetField = ZeekTSVReader.unescaped(value)
        } else if directive.equals("#empty_field") {
            emptyField = ZeekTSVReader.unescaped(value)
        }
    }

    /// Maps the `#fields` columns (already split into ``fields``) to ``ZeekField``s and tells the log from them.
    private mutating func readFields(_ line: Bytes) {
        for i in columns.indices { columns[i] = -1 }
        var evidence = ZeekLogKind.Evidence()
        for i in 1..<fields.count {
            let name = fields.field(i, in: line)
            if let field = ZeekField.named(name), columns[field.rawValue] < 0 { columns[field.rawValue] = i - 1 }
            evidence.note(key: name)
        }
        columnCount = fields.count - 1
        columnKind = evidence.kind
        hasFields = true
    }

    /// The bytes with `\xHH` escapes resolved.
    static func unescaped(_ b: Bytes) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "\\"), i + 3 < b.count, b[i + 1] == UInt8(ascii: "x"), let h = hexNibble(b[i + 2]),
                let l = hexNibble(b[i + 3])
            {
                out.append(h << 4 | l)
                i += 4
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return out
    }

    /// One data line's values, by ``ZeekField``.
    private struct Values: ZeekFieldValues {
        let line: Bytes
        let fields: FieldSplitter
        let columns: [Int]
        let unset: [UInt8]
        let empty: [UInt8]

        func raw(_ field: ZeekField) -> Bytes? {
            let column = columns[field.rawValue]
            guard column >= 0 else { return nil }
            let value = fields.field(column, in: line)
            guard value.count > 0, !value.isMarker(unset), !value.isMarker(empty) else { return nil }
            return value
        }

        func withDecoded(_ field: ZeekField, _ body: (Bytes) -> Void) {
            guard let value = raw(field) else { return }
            guard value.index(of: UInt8(ascii: "\\")) != nil else {
                body(value)
                return
            }
            let decoded = ZeekTSVReader.unescaped(value)
            decoded.withUnsafeBufferPointer { body($0) }
        }
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Whether the bytes are exactly `marker` (the unset or empty field marker).
    fileprivate func isMarker(_ marker: [UInt8]) -> Bool {
        guard count == marker.count else { return false }
        for i in 0..<count where self[i] != marker[i] { return false }
        return true
    }

    /// Without leading and trailing spaces and CR (tabs are kept: a tab may be a value).
    fileprivate var trimmedSpaces: Bytes {
        var s = 0
        var e = count
        while s < e, self[s] == 32 { s += 1 }
        while e > s, self[e - 1] == 32 || self[e - 1] == 13 { e -= 1 }
        return sub(s..<e)
    }
}
