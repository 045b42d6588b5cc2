package import CanopyCore

/// Byte-level helpers for parsers (STYLE.md §15: parse bytes, build `String`s only for kept values).
extension UnsafeBufferPointer where Element == UInt8 {
    /// A sub-range as its own buffer (no copy).

    package func sub(_ range: Range<Int>) -> Bytes {
        Bytes(rebasing: self[range])
    }

    /// Bytes from `start` to the end.

    package func dropFirst(_ count: Int) -> Bytes {
        count >= self.count ? Bytes(start: nil, count: 0) : sub(count..<self.count)
    }

    /// The bytes decoded as UTF-8; invalid sequences become U+FFFD, never a trap.

    package var string: String { String(decoding: self, as: UTF8.self) }

    /// The bytes as a lowercase string (ASCII letters folded): for host names.
    package var lowercasedString: String {
        var hasUpper = false
        for b in self where b >= 65 && b <= 90 {
            hasUpper = true
            break
        }
        if !hasUpper { return string }
        return String(unsafeUninitializedCapacity: count) { out in
            for (i, b) in enumerated() { out[i] = (b >= 65 && b <= 90) ? b | 0x20 : b }
            return count
        }
    }

    /// The string, or nil when the field is empty or a placeholder such as `-`.

    package var optionalString: String? { isPlaceholder ? nil : string }

    /// Empty, `-`, `"-"`, `(null)`, `null`, `N/A`, `NA` or `None`: fields a log writes when it has no value.
    @inline(__always)
    package var isPlaceholder: Bool { count > 6 ? false : isShortPlaceholder }

    /// ``isPlaceholder`` for up to six bytes: out of line, so the common long field costs one compare.
    @inline(never)
    private var isShortPlaceholder: Bool {
        switch count {
        case 0: return true
        case 1: return self[0] == UInt8(ascii: "-")
        case 2: return equalsCaseInsensitive("na")
        case 3: return equalsCaseInsensitive("n/a") || equals("\"-\"")
        case 4: return equalsCaseInsensitive("null") || equalsCaseInsensitive("none")
        case 6: return equalsCaseInsensitive("(null)")
        default: return false
        }
    }

    /// Byte equality with an ASCII literal.
    @inline(__always)
    package func equals(_ literal: StaticString) -> Bool {
        guard literal.utf8CodeUnitCount == count else { return false }
        let p = literal.utf8Start
        for i in 0..<count where self[i] != p[i] { return false }
        return true
    }

    /// Byte equality with other bytes, eight at a time.
    @inline(__always)
    package func equals(_ other: Bytes) -> Bool {
        let n = count
        guard n == other.count else { return false }
        guard n > 0, let pa = baseAddress, let pb = other.baseAddress else { return true }
        let a = UnsafeRawPointer(pa)
        let b = UnsafeRawPointer(pb)
        guard n >= 8 else {
            for i in 0..<n where a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self)
            {
                return false
            }
            return true
        }
        var i = 0
        while i + 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                != b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            {
                return false
            }
            i += 8
        }
        // The last eight bytes, overlapping the words already compared.
        return i == n
            || a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    }

    /// ASCII case-insensitive equality with a literal written in lowercase.
    package func equalsCaseInsensitive(_ literal: StaticString) -> Bool {
        guard literal.utf8CodeUnitCount == count else { return false }
        let p = literal.utf8Start
        for i in 0..<count where self[i] | 0x20 != p[i] | 0x20 { return false }
        return true
    }

    /// Whether the bytes start with an ASCII literal.
    @inline(__always)
    package func hasPrefix(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard n <= count else { return false }
        let p = literal.utf8Start
        for i in 0..<n where self[i] != p[i] { return false }
        return true
    }

    /// The first index of `needle` at or after `from`.

    @inline(__always)
    package func index(of needle: UInt8, from: Int = 0) -> Int? {
        guard from < count else { return nil }
        let i = WordScan.firstIndex(of: needle, in: self, from: from)
        return i < count ? i : nil
    }

    /// The first index where the literal `needle` starts, at or after `from`.
    package func index(of needle: StaticString, from: Int = 0) -> Int? {
        let n = needle.utf8CodeUnitCount
        guard n > 0, count >= n else { return nil }
        let p = needle.utf8Start
        var i = from
        // From one occurrence of the first byte to the next, eight bytes a step in between.
        while true {
            i = WordScan.firstIndex(of: p[0], in: self, from: Swift.max(i, 0))
            guard i <= count - n else { return nil }
            var k = 1
            while k < n, self[i + k] == p[k] { k += 1 }
            if k == n { return i }
            i += 1
        }
    }

    /// Without leading and trailing spaces, tabs and CR.
    package var trimmed: Bytes {
        var s = 0
        var e = count
        while s < e, self[s] == 32 || self[s] == 9 || self[s] == 13 { s += 1 }
        while e > s, self[e - 1] == 32 || self[e - 1] == 9 || self[e - 1] == 13 { e -= 1 }
        return sub(s..<e)
    }

    /// Without one pair of surrounding double quotes.
    package var unquoted: Bytes {
        if count >= 2, self[0] == UInt8(ascii: "\""), self[count - 1] == UInt8(ascii: "\"") {
            return sub(1..<count - 1)
        }
        return self
    }

    /// A non-negative decimal integer (at most 18 digits), or nil.
    package var decimal: Int64? {
        guard count > 0, count <= 18 else { return nil }
        var v: Int64 = 0
        for b in self {
            guard b >= 48 && b <= 57 else { return nil }
            v = v &* 10 &+ Int64(b &- 48)
        }
        return v
    }

    /// A non-negative byte count; a placeholder gives nil, so does anything not a number.
    package var byteCount: Int64? { isPlaceholder ? nil : decimal }

    /// A port number 0–65535.
    package var port: Int? {
        guard let v = decimal, v <= 65_535 else { return nil }
        return Int(v)
    }

    /// An HTTP status 100–999; `0` and `-` (no response) give nil.
    package var httpStatus: Int? {
        guard let v = decimal, v >= 100, v <= 999 else { return nil }
        return Int(v)
    }

    /// Parses an IP address (also `[v6]` and `v4:port`-free forms).
    package var ipAddress: IPAddress? { isPlaceholder ? nil : IPAddress(bytes: self) }

    /// Whether the bytes contain a NUL or another C0 control byte other than tab and CR: not a text log line.
    /// Checks eight bytes at a time (a word has a byte below 0x20 iff `(w - 0x20…) & ~w & 0x80…` is non-zero).
    package var containsBinary: Bool {
        guard let base = baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let n = count
        var i = 0
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080 != 0 {
                for k in i..<(i + 8) where self[k] < 32 && self[k] != 9 && self[k] != 13 { return true }
            }
            i += 8
        }
        while i < n {
            if self[i] < 32 && self[i] != 9 && self[i] != 13 { return true }
            i += 1
        }
        return false
    }

    /// Whether the bytes have at least one byte that is not a digit.
    package var isAllDigits: Bool {
        guard count > 0 else { return false }
        for b in self where b < 48 || b > 57 { return false }
        return true
    }

    /// The bytes with `%XX` escapes decoded (invalid escapes kept as they are).
    package var percentDecodedString: String {
        var out = [UInt8]()
        out.reserveCapacity(count)
        var i = 0
        while i < count {
            if self[i] == UInt8(ascii: "%"), i + 2 < count, let h = hexNibble(self[i + 1]),
                let l = hexNibble(self[i + 2])
            {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(self[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The value of one hex digit.
package func hexNibble(_ b: UInt8) -> UInt8? {
    switch b {
    case 48...57: return b - 48
    case 65...70: return b - 55
    case 97...102: return b - 87
    default: return nil
    }
}
