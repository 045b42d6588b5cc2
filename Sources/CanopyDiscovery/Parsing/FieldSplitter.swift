/// Splits a line into fields without allocating per line: ranges are written into a reused buffer.
///
/// Keep one splitter in a parser (parsers are `mutating`) and call one of the `split` methods per line. The buffer
/// is copied on write, so a copied splitter (a copied parser) never shares state; the uniqueness check happens once
/// a line, not once a field.
package struct FieldSplitter: Sendable {
    /// Field ranges and escape flags, grown by doubling.
    private final class Storage: @unchecked Sendable {
        var ranges: UnsafeMutablePointer<Range<Int>>
        var escaped: UnsafeMutablePointer<Bool>
        var capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            ranges = .allocate(capacity: capacity)
            escaped = .allocate(capacity: capacity)
        }

        func copy(count: Int) -> Storage {
            let c = Storage(capacity: capacity)
            c.ranges.initialize(from: ranges, count: count)
            c.escaped.initialize(from: escaped, count: count)
            return c
        }

        func grow(keeping count: Int) {
            let r = UnsafeMutablePointer<Range<Int>>.allocate(capacity: capacity * 2)
            let e = UnsafeMutablePointer<Bool>.allocate(capacity: capacity * 2)
            r.moveInitialize(from: ranges, count: count)
            e.moveInitialize(from: escaped, count: count)
            ranges.deallocate()
            escaped.deallocate()
            ranges = r
            escaped = e
            capacity *= 2
        }

        deinit {
            ranges.deallocate()
            escaped.deallocate()
        }
    }

    private var storage = Storage(capacity: 64)
    /// The number of fields of the last line split.
    package private(set) var count = 0

    package init() {}

    /// The byte range of the `index`th field in the line (`index` < ``count``).
    package func range(_ index: Int) -> Range<Int> {
        precondition(index >= 0 && index < count, "field index out of range")
        return storage.ranges[index]
    }

    /// The `index`th field of `line` (empty when out of range).
    @inline(__always)
    package func field(_ index: Int, in line: Bytes) -> Bytes {
        guard index >= 0, index < count else { return Bytes(start: nil, count: 0) }
        return line.sub(storage.ranges[index])
    }

    /// The `index`th field as a string, with CSV (`""`) or backslash escapes removed; nil for placeholders.
    package func string(_ index: Int, in line: Bytes) -> String? {
        let f = field(index, in: line)
        if f.isPlaceholder { return nil }
        guard index < count, storage.escaped[index] else { return f.string }
        return Escapes.unescapeQuotes(f)
    }

    /// Starts a line: empties the fields and makes the storage this splitter's own.
    @inline(__always)
    private mutating func begin() {
        count = 0
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy(count: 0) }
    }

    @inline(__always)
    private mutating func append(_ range: Range<Int>, escaped: Bool = false) {
        if count == storage.capacity { storage.grow(keeping: count) }
        (storage.ranges + count).initialize(to: range)
        (storage.escaped + count).initialize(to: escaped)
        count += 1
    }

    /// Splits on `separator`. With `quote`, a field that starts with the quote runs to the matching quote, doubled
    /// quotes (`""`) and backslash-escaped quotes inside it are kept, and the quotes themselves are not part of the
    /// field.
    ///
    /// - Returns: false if a quoted field is not closed (the fields up to it are kept).
    @discardableResult
    package mutating func split(_ line: Bytes, separator: UInt8, quote: UInt8? = nil) -> Bool {
        begin()
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
                    append((i + 1)..<n, escaped: hadEscape)
                    return false
                }
                append((i + 1)..<j, escaped: hadEscape)
                // Skip to the separator.
                var k = j + 1
                while k < n, line[k] != separator { k += 1 }
                if k >= n { return true }
                i = k + 1
                if i == n {
                    append(n..<n)
                    return true
                }
                continue
            }
            let j = WordScan.firstIndex(of: separator, in: line, from: i)
            append(i..<j)
            if j >= n { return true }
            i = j + 1
            if i == n {
                append(n..<n)
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
        begin()
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
                    append((i + 1)..<n, escaped: hadEscape)
                    return false
                }
                append((i + 1)..<j, escaped: hadEscape)
                i = j + 1
                continue
            }
            let j = WordScan.firstBlank(in: line, from: i + 1)
            append(i..<j)
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
