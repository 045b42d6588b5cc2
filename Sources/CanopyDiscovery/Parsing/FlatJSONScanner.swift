/// Reads the scalar leaves of one JSON object per line (Zeek JSON, Zscaler NSS JSON, …) into reused ranges.
///
/// STYLE.md §15: `JSONDecoder` is 5–8× slower than a byte scanner, and a traffic line needs a dozen fields.
/// Nested objects are descended (their leaves are found by their own key); arrays are kept whole as raw text.
/// Strings are returned with escapes resolved only when asked for.
package struct FlatJSONScanner: Sendable {
    /// What a leaf holds.
    package enum Kind: Sendable { case string, number, bool, null, array }

    private var pairs = KeyValueRanges()
    private var kinds: [Kind] = []
    private var escaped: [Bool] = []
    private var base: Bytes { pairs.base }

    package init() {
        kinds.reserveCapacity(64)
        escaped.reserveCapacity(64)
    }

    package var count: Int { pairs.count }

    /// Scans one object. Returns false for anything that is not a well-formed JSON object.
    package mutating func scan(_ line: Bytes) -> Bool {
        pairs.reset(line)
        kinds.removeAll(keepingCapacity: true)
        escaped.removeAll(keepingCapacity: true)
        var i = 0
        skipSpace(&i)
        guard i < line.count, line[i] == UInt8(ascii: "{") else { return false }
        guard object(&i, depth: 0) else { return false }
        skipSpace(&i)
        return i == line.count
    }

    /// The raw bytes of the first leaf with this key (string contents without quotes).
    package func value(for key: StaticString) -> Bytes? {
        pairs.value(for: key)
    }

    /// The kind of the first leaf with this key.
    package func kind(for key: StaticString) -> Kind? {
        guard let i = pairs.index(of: key) else { return nil }
        return kinds[i]
    }

    /// A leaf as a string, escapes resolved; nil if absent, null, or a placeholder.
    package func string(for key: StaticString) -> String? {
        guard let i = pairs.index(of: key) else { return nil }
        return string(i)
    }

    /// The key of leaf `index`, for generic mappings.
    package func key(_ index: Int) -> Bytes { pairs.key(index) }
    /// The value of leaf `index`.
    package func value(_ index: Int) -> Bytes { pairs.value(index) }

    /// The index of the first leaf whose key is `key`, for keys known only at run time.
    package func indexOf(bytes key: [UInt8]) -> Int? { pairs.index(of: key) }

    /// A leaf by index as a string with escapes resolved.
    package func string(_ index: Int) -> String? {
        guard kinds[index] != .null else { return nil }
        let v = pairs.value(index)
        if v.isPlaceholder { return nil }
        return escaped[index] ? FlatJSONScanner.unescape(v) : v.string
    }

    private func skipSpace(_ i: inout Int) {
        while i < base.count, base[i] == 32 || base[i] == 9 || base[i] == 13 || base[i] == 10 { i += 1 }
    }

    /// Parses `{…}` at `i`, appending leaves.
    private mutating func object(_ i: inout Int, depth: Int) -> Bool {
        guard depth < 16 else { return false }
        i += 1
        skipSpace(&i)
        if i < base.count, base[i] == UInt8(ascii: "}") {
            i += 1
            return true
        }
        while i < base.count {
            skipSpace(&i)
            guard i < base.count, base[i] == UInt8(ascii: "\"") else { return false }
            guard let (keyRange, _) = string(&i) else { return false }
            skipSpace(&i)
            guard i < base.count, base[i] == UInt8(ascii: ":") else { return false }
            i += 1
            skipSpace(&i)
            guard i < base.count else { return false }
            let c = base[i]
            switch c {
            case UInt8(ascii: "\""):
                guard let (r, esc) = string(&i) else { return false }
                append(keyRange, r, .string, esc)
            case UInt8(ascii: "{"):
                guard object(&i, depth: depth + 1) else { return false }
            case UInt8(ascii: "["):
                let s = i
                guard skipArray(&i) else { return false }
                append(keyRange, s..<i, .array, false)
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let s = i
                while i < base.count, base[i] >= 97 && base[i] <= 122 { i += 1 }
                let word = base.sub(s..<i)
                if word.equals("true") || word.equals("false") {
                    append(keyRange, s..<i, .bool, false)
                } else if word.equals("null") {
                    append(keyRange, s..<i, .null, false)
                } else {
                    return false
                }
            default:
                let s = i
                while i < base.count {
                    let d = base[i]
                    guard (d >= 48 && d <= 57) || d == 45 || d == 43 || d == 46 || d == 101 || d == 69 else { break }
                    i += 1
                }
                guard i > s else { return false }
                append(keyRange, s..<i, .number, false)
            }
            skipSpace(&i)
            guard i < base.count else { return false }
            if base[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if base[i] == UInt8(ascii: "}") {
                i += 1
                return true
            }
            return false
        }
        return false
    }

    private mutating func append(_ key: Range<Int>, _ value: Range<Int>, _ kind: Kind, _ esc: Bool) {
        pairs.append(key: key, value: value)
        kinds.append(kind)
        escaped.append(esc)
    }

    /// A string at `i` (at its opening quote): the contents' range and whether it has escapes.
    private func string(_ i: inout Int) -> (Range<Int>, Bool)? {
        let s = i + 1
        var j = s
        var esc = false
        while j < base.count {
            let c = base[j]
            if c == UInt8(ascii: "\\") {
                esc = true
                j += 2
                continue
            }
            if c == UInt8(ascii: "\"") {
                i = j + 1
                return (s..<j, esc)
            }
            if c < 32 { return nil }
            j += 1
        }
        return nil
    }

    private func skipArray(_ i: inout Int) -> Bool {
        var depth = 0
        while i < base.count {
            let c = base[i]
            if c == UInt8(ascii: "\"") {
                guard string(&i) != nil else { return false }
                continue
            }
            if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { depth += 1 }
            if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 {
                    i += 1
                    return true
                }
            }
            i += 1
        }
        return false
    }

    /// Resolves JSON string escapes, including `\uXXXX` and surrogate pairs; invalid ones become U+FFFD.
    package static func unescape(_ v: Bytes) -> String {
        var out = [UInt8]()
        out.reserveCapacity(v.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32? { JSONEscape.hex4(v, at: at) }
        while i < v.count {
            let c = v[i]
            guard c == UInt8(ascii: "\\"), i + 1 < v.count else {
                out.append(c)
                i += 1
                continue
            }
            let e = v[i + 1]
            i += 2
            if let control = JSONEscape.control(e) {
                out.append(control)
                continue
            }
            switch e {
            case UInt8(ascii: "u"):
                var scalar = hex4(i) ?? 0xFFFD
                i += 4
                if (0xD800...0xDBFF).contains(scalar), i + 6 <= v.count, v[i] == UInt8(ascii: "\\"),
                    v[i + 1] == UInt8(ascii: "u"), let low = hex4(i + 2), (0xDC00...0xDFFF).contains(low)
                {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
