/// Finds delimiters in a line eight bytes at a time (SWAR): fields are short, so a word-wide test beats both a byte
/// loop and a `memchr` call per field.
package enum WordScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// A word with the high bit set in each byte equal to `a` or `b` (each splatted across a word); its lowest set
    /// bit marks the first such byte exactly (borrows only run towards higher bytes).
    @inline(__always)
    private static func matchMask(_ w: UInt64, _ a: UInt64, _ b: UInt64) -> UInt64 {
        let x = w ^ a
        let y = w ^ b
        return ((x &- ones) & ~x | (y &- ones) & ~y) & highs
    }

    /// The first index at or after `from` whose byte is `a` or `b`, or the line's length.
    @inline(__always)
    package static func firstIndex(of a: UInt8, or b: UInt8, in line: Bytes, from: Int) -> Int {
        let n = line.count
        guard let base = line.baseAddress else { return n }
        let raw = UnsafeRawPointer(base)
        let wa = UInt64(a) &* ones
        let wb = UInt64(b) &* ones
        var j = from
        while j + 8 <= n {
            let m = matchMask(raw.loadUnaligned(fromByteOffset: j, as: UInt64.self), wa, wb)
            if m != 0 { return j + m.trailingZeroBitCount >> 3 }
            j += 8
        }
        while j < n, base[j] != a, base[j] != b { j += 1 }
        return j
    }

    /// The first index at or after `from` whose byte is one of the five given, or the line's length.
    @inline(__always)
    package static func firstIndex(
        of a: UInt8,
        _ b: UInt8,
        _ c: UInt8,
        _ d: UInt8,
        _ e: UInt8,
        in line: Bytes,
        from: Int
    ) -> Int {
        let n = line.count
        guard let base = line.baseAddress else { return n }
        let raw = UnsafeRawPointer(base)
        let (wa, wb, wc, wd, we) = (
            UInt64(a) &* ones, UInt64(b) &* ones, UInt64(c) &* ones, UInt64(d) &* ones, UInt64(e) &* ones
        )
        var j = from
        while j + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)
            let m = matchMask(w, wa, wb) | matchMask(w, wc, wd) | matchMask(w, we, we)
            if m != 0 { return j + m.trailingZeroBitCount >> 3 }
            j += 8
        }
        while j < n {
            let x = base[j]
            if x == a || x == b || x == c || x == d || x == e { return j }
            j += 1
        }
        return j
    }

    /// The first index at or after `from` whose byte is `byte`, or the line's length.
    @inline(__always)
    package static func firstIndex(of byte: UInt8, in line: Bytes, from: Int) -> Int {
        firstIndex(of: byte, or: byte, in: line, from: from)
    }

    /// The first space or tab at or after `from`, or the line's length.
    @inline(__always)
    package static func firstBlank(in line: Bytes, from: Int) -> Int {
        firstIndex(of: 32, or: 9, in: line, from: from)
    }
}
