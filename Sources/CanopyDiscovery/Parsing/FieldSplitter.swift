/// Splits a line into fields without allocating per line: ranges are kept in a reused array.
///
/// Keep one splitter in a parser (parsers are `mutating`) and call one of the `split` methods per line.
package struct FieldSplitter: Sendable {
    /// Field ranges into the last line split.
    package private(set) var ranges: [Range<Int>] = []
    /// Whether each field was quoted and contains an escaped quote (`""` or `\"`) to unescape.
    private var escaped: [Bool] = []

    package init() {
        ranges.reserveCapacity(64)
        escaped.reserveCapacity(64)
    }

    package var count: Int { ranges.count }

    /// The `index`th field of `line` (empty when out of range).

    package func field(_ index: Int, in line: Bytes) -> Bytes {
        guard index >= 0, index < ranges.count else { return Bytes(start: nil, count: 0) }
        return line.sub(ranges[index])
    }

    /// The `index`th field as a string, with CSV (`""`) or backslash escapes removed; nil for placeholders.
    package func string(_ index: Int, in line: Bytes) -> String? {
        let f = field(index, in: line)
        if f.isPlaceholder { return nil }
        guard index < escaped.count, escaped[index] else { return f.string }
        return Escapes.unescapeQuotes(f)
    }

    /// Splits on `separator`. With `quote`, a field that starts with the quote runs to the matching quote, doubled
    /// quotes (`""`) and backslash-escaped quotes inside it are kept, and the quotes themselves are not part of the
    /// field.
    ///
    /// - Returns: false if a quoted field is not closed (the fields up to it are kept).
    @discardableResult
    package mutating func split(_ line: Bytes, separator: UInt8, quote: UInt8? = nil) -> Bool {
        ranges.removeAll(keepingCapacity: true)
        escaped.removeAll(keepingCapacity: true)
        let n = line.count
        var i = 0
        while true {
            if let q = quote, i < n, line[i] == q {
                // Quoted field.
                var j = i + 1
                var hadEscape = false
                var closed = false
                while j < n {
                    let b = line[j]
                    if b == UInt8(ascii: "\\"), j + 1 < n {
                        hadEscape = true
                        j += 2
                        continue
                    }
                    if b == q {
                        if j + 1 < n, line[j + 1] == q {
                            hadEscape = true
                            j += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    j += 1
                }
                guard closed else {
                    ranges.append((i + 1)..<n)
                    escaped.append(hadEscape)
                    return false
                }
                ranges.append((i + 1)..<j)
                escaped.append(hadEscape)
                // Skip to the separator.
                var k = j + 1
                while k < n, line[k] != separator { k += 1 }
                if k >= n { return true }
                i = k + 1
                if i == n {
                    ranges.append(n..<n)
                    escaped.append(false)
                    return true
                }
                continue
            }
            var j = i
            while j < n, line[j] != separator { j += 1 }
            ranges.append(i..<j)
            escaped.append(false)
            if j >= n { return true }
            i = j + 1
            if i == n {
                ranges.append(n..<n)
                escaped.append(false)
                return true
            }
        }
    }

    /// Splits on runs of spaces and tabs. A field that opens with `"` runs to the closing `"` (backslash escapes
    /// allowed); one that opens with `[` runs to `]`. The delimiters are not part of the field.
    ///
    /// - Returns: false if a quote or bracket is not closed.
    @discardableResult
    package mutating func splitWhitespace(_ line: Bytes, quoted: Bool = true) -> Bool {
        ranges.removeAll(keepingCapacity: true)
        escaped.removeAll(keepingCapacity: true)
        let n = line.count
        var i = 0
        while true {
            while i < n, line[i] == 32 || line[i] == 9 { i += 1 }
            if i >= n { return true }
            let b = line[i]
            if quoted, b == UInt8(ascii: "\"") || b == UInt8(ascii: "[") {
                let close = b == UInt8(ascii: "[") ? UInt8(ascii: "]") : b
                var j = i + 1
                var hadEscape = false
                while j < n, line[j] != close {
                    if line[j] == UInt8(ascii: "\\"), close == UInt8(ascii: "\""), j + 1 < n {
                        hadEscape = true
                        j += 1
                    }
                    j += 1
                }
                guard j < n else {
                    ranges.append((i + 1)..<n)
                    escaped.append(hadEscape)
                    return false
                }
                ranges.append((i + 1)..<j)
                escaped.append(hadEscape)
                i = j + 1
                continue
            }
            var j = i
            while j < n, line[j] != 32 && line[j] != 9 { j += 1 }
            ranges.append(i..<j)
            if quoted { escaped.append(false) }
            i = j
        }
    }
}

/// Unescaping of quoted values; only called for the rare fields that need it.
package enum Escapes {
    /// Removes CSV doubled quotes (`""` → `"`) and backslash escapes (`\"` → `"`, `\\` → `\`). Any other
    /// backslash is kept as written, so `"CORP\alice"` stays `CORP\alice`.
    package static func unescapeQuotes(_ field: Bytes) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(field.count)
        var i = 0
        while i < field.count {
            let b = field[i]
            if b == UInt8(ascii: "\\"), i + 1 < field.count,
                field[i + 1] == UInt8(ascii: "\"") || field[i + 1] == UInt8(ascii: "\\")
            {
                out.append(field[i + 1])
                i += 2
                continue
            }
            if b == UInt8(ascii: "\""), i + 1 < field.count, field[i + 1] == UInt8(ascii: "\"") {
                out.append(b)
                i += 2
                continue
            }
            out.append(b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// CEF extension unescaping: `\=` → `=`, `\\` → `\`, `\n`/`\r` → newline, `\|` → `|`.
    package static func unescapeCEF(_ field: Bytes) -> String {
        guard field.index(of: UInt8(ascii: "\\")) != nil else { return field.string }
        var out: [UInt8] = []
        out.reserveCapacity(field.count)
        var i = 0
        while i < field.count {
            let b = field[i]
            if b == UInt8(ascii: "\\"), i + 1 < field.count {
                let next = field[i + 1]
                switch next {
                case UInt8(ascii: "n"), UInt8(ascii: "r"): out.append(10)
                default: out.append(next)
                }
                i += 2
                continue
            }
            out.append(b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
