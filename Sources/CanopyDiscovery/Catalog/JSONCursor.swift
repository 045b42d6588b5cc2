/// A strict, allocation-light reader of one JSON text, for the catalog's JSON-lines files (STYLE.md §15:
/// `JSONDecoder` on the catalog was half of every command's start-up).
///
/// It reads exactly RFC 8259 JSON, value by value, as the caller expects it; anything it does not expect — a
/// different type, a fraction where an integer is wanted, invalid UTF-8, a control character in a string —
/// throws ``Unexpected``, and the caller falls back to `JSONDecoder`, which decides (and names the error). So this
/// reader may refuse valid JSON, but never accepts what `JSONDecoder` would reject or reads it differently.
package struct JSONCursor {
    /// The text does not have the shape the caller expects.
    package struct Unexpected: Error {}

    private let bytes: Bytes
    private var i = 0

    package init(_ bytes: Bytes) { self.bytes = bytes }

    /// Whether only whitespace is left.
    package mutating func atEnd() -> Bool {
        skipSpace()
        return i == bytes.count
    }

    /// Reads an object, calling `member` with each key; `member` must read (or ``skipValue()``) the value.
    package mutating func object(_ member: (inout JSONCursor, String) throws(Unexpected) -> Void) throws(Unexpected) {
        try expect(UInt8(ascii: "{"))
        if try peek() == UInt8(ascii: "}") {
            i += 1
            return
        }
        while true {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
            let next = try peek()
            i += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw Unexpected() }
        }
    }

    /// Reads an array of strings.
    package mutating func stringArray() throws(Unexpected) -> [String] {
        var out: [String] = []
        try array { c throws(Unexpected) in out.append(try c.string()) }
        return out
    }

    /// Reads an array, calling `element` for each element; `element` must read (or ``skipValue()``) it.
    package mutating func array(_ element: (inout JSONCursor) throws(Unexpected) -> Void) throws(Unexpected) {
        try expect(UInt8(ascii: "["))
        if try peek() == UInt8(ascii: "]") {
            i += 1
            return
        }
        while true {
            try element(&self)
            let next = try peek()
            i += 1
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { throw Unexpected() }
        }
    }

    /// Whether the next value is `null` (consumed if so).
    package mutating func null() throws(Unexpected) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// The next value's first byte, after whitespace: `"`, `t`/`f`, a digit or `-`, `n`, `[` or `{`.
    package mutating func peek() throws(Unexpected) -> UInt8 {
        skipSpace()
        guard i < bytes.count else { throw Unexpected() }
        return bytes[i]
    }

    /// Reads `true` or `false`.
    package mutating func bool() throws(Unexpected) -> Bool {
        switch try peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default:
            throw Unexpected()
        }
    }

    /// Reads an integer written without fraction or exponent that fits an `Int`.
    package mutating func integer() throws(Unexpected) -> Int {
        _ = try peek()
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        let start = i
        var value = 0
        while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(bytes[i] - 48))
            guard !o1, !o2 else { throw Unexpected() }
            value = a
            i += 1
        }
        // No digits, a leading zero, or a fraction or exponent following: not this reader's case.
        guard i > start, !(bytes[start] == 48 && i - start > 1) else { throw Unexpected() }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] | 0x20 == UInt8(ascii: "e") {
            throw Unexpected()
        }
        return negative ? -value : value
    }

    /// Reads a string, resolving escapes.
    package mutating func string() throws(Unexpected) -> String {
        try expect(UInt8(ascii: "\""))
        let start = i
        while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\"), bytes[i] >= 0x20 {
            i += 1
        }
        guard i < bytes.count else { throw Unexpected() }
        if bytes[i] == UInt8(ascii: "\"") {
            defer { i += 1 }
            return try Self.text(bytes.sub(start..<i))
        }
        var out = Array(bytes.sub(start..<i))
        while true {
            guard i < bytes.count else { throw Unexpected() }
            let b = bytes[i]
            i += 1
            switch b {
            case UInt8(ascii: "\""):
                return try out.withUnsafeBufferPointer { buffer throws(Unexpected) in try Self.text(buffer) }
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            case 0..<0x20:
                throw Unexpected()
            default:
                out.append(b)
            }
        }
    }

    /// Valid UTF-8 as a string; ASCII (nearly every catalog string) without the generic validator's cost.
    private static func text(_ utf8: Bytes) throws(Unexpected) -> String {
        var ascii = true
        for b in utf8 where b >= 0x80 {
            ascii = false
            break
        }
        if ascii { return String(decoding: utf8, as: UTF8.self) }
        guard let s = String(validating: utf8, as: UTF8.self) else { throw Unexpected() }
        return s
    }

    /// Skips one value of any type.
    package mutating func skipValue() throws(Unexpected) {
        switch try peek() {
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "{"): try object { c, _ throws(Unexpected) in try c.skipValue() }
        case UInt8(ascii: "["): try array { c throws(Unexpected) in try c.skipValue() }
        default: try skipNumber()
        }
    }

    /// Skips a number of RFC 8259's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func skipNumber() throws(Unexpected) {
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, Self.isDigit(bytes[i]) else { throw Unexpected() }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            try digits()
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            try digits()
        }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            try digits()
        }
    }

    /// One or more digits.
    private mutating func digits() throws(Unexpected) {
        let start = i
        while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
        guard i > start else { throw Unexpected() }
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    private mutating func escape(into out: inout [UInt8]) throws(Unexpected) {
        guard i < bytes.count else { throw Unexpected() }
        let b = bytes[i]
        i += 1
        if let control = JSONEscape.control(b) {
            out.append(control)
            return
        }
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(b)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low one.
                guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                    throw Unexpected()
                }
                i += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw Unexpected() }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let s = Unicode.Scalar(scalar) else { throw Unexpected() }
            out.append(contentsOf: String(Character(s)).utf8)
        default:
            throw Unexpected()
        }
    }

    private mutating func hex4() throws(Unexpected) -> UInt32 {
        guard let v = JSONEscape.hex4(bytes, at: i) else { throw Unexpected() }
        i += 4
        return v
    }

    private mutating func literal(_ word: StaticString) throws(Unexpected) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count, bytes.sub(i..<(i + n)).equals(word) else { throw Unexpected() }
        i += n
    }

    private mutating func expect(_ byte: UInt8) throws(Unexpected) {
        guard try peek() == byte else { throw Unexpected() }
        i += 1
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
    }
}

/// JSON's one-letter escapes of control characters.
enum JSONEscape {
    /// The byte a backslash followed by `letter` stands for (`n` → LF, `t`, `r`, `b`, `f`), or nil.
    @inline(__always)
    static func control(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "n"): 10
        case UInt8(ascii: "t"): 9
        case UInt8(ascii: "r"): 13
        case UInt8(ascii: "b"): 8
        case UInt8(ascii: "f"): 12
        default: nil
        }
    }

    /// The value of the four hex digits of a `uXXXX` escape at `at`, or nil.
    static func hex4(_ bytes: Bytes, at: Int) -> UInt32? {
        guard at >= 0, at + 4 <= bytes.count else { return nil }
        var x: UInt32 = 0
        for k in at..<(at + 4) {
            let c = bytes[k]
            let h: UInt32
            switch c {
            case 48...57: h = UInt32(c - 48)
            case 65...70: h = UInt32(c - 55)
            case 97...102: h = UInt32(c - 87)
            default: return nil
            }
            x = x << 4 | h
        }
        return x
    }
}
