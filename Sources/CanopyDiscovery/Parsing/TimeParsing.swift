package import CanopyCore

/// Timestamp readers for the layouts traffic logs use, over bytes and without Foundation.
///
/// Each returns nil for malformed text or an impossible date, so a parser can reject with
/// ``ReasonCode/badTimestamp``.
package enum TimeParsing {
    /// Unix epoch seconds with an optional fraction (`1700000000.123`); 13 digits are read as milliseconds.
    package static func epoch(_ b: Bytes) -> Timestamp? {
        // Squid's and most proxies' `%ts.%03tu`: ten digits, a dot, three digits, read a word at a time.
        if b.count == 14, b[10] == UInt8(ascii: "."), let base = b.baseAddress {
            let raw = UnsafeRawPointer(base)
            let head = raw.loadUnaligned(as: UInt64.self)
            let tail =
                UInt64(raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
                | UInt64(raw.loadUnaligned(fromByteOffset: 10, as: UInt32.self) & 0xFFFF_FF00) << 8
            // `tail`: digits 9 and 10, then the three fraction digits, padded to eight digits with '0's.
            let padded = tail | 0x3030_3000_0000_0000
            if let high = eightDigits(head), let low = eightDigits(padded) {
                let seconds = Int64(high) * 100 + Int64(low / 1_000_000)
                let millis = Int64(low / 1_000 % 1_000)
                return plausible(Timestamp(millisecondsSinceEpoch: seconds * 1000 + millis))
            }
        }
        guard !b.isEmpty else { return nil }
        var seconds: Int64 = 0
        var digits = 0
        var i = 0
        while i < b.count, b[i] >= 48 && b[i] <= 57 {
            seconds = seconds &* 10 &+ Int64(b[i] - 48)
            digits += 1
            i += 1
        }
        guard digits > 0, digits <= 13 else { return nil }
        if digits == 13 && i == b.count { return plausible(Timestamp(millisecondsSinceEpoch: seconds)) }
        guard digits <= 11 else { return nil }
        var millis = 0
        if i < b.count {
            guard b[i] == UInt8(ascii: ".") else { return nil }
            i += 1
            guard let ms = milliseconds(b, &i), i == b.count else { return nil }
            millis = ms
        }
        return plausible(Timestamp(millisecondsSinceEpoch: seconds * 1000 + Int64(millis)))
    }

    /// ISO 8601 / RFC 3339: `2024-01-02T03:04:05`, optional `.fff…`, optional `Z` or `±hh:mm`/`±hhmm`;
    /// a space instead of `T` is accepted. Without a zone the time is taken as UTC.
    package static func iso8601(_ b: Bytes) -> Timestamp? {
        guard b.count >= 19, b[4] == UInt8(ascii: "-") else { return nil }
        return dateTime(b)
    }

    /// `yyyy/mm/dd hh:mm:ss` (PAN-OS) and `yyyy-mm-dd hh:mm:ss` without zone; taken as UTC.
    package static func slashDate(_ b: Bytes) -> Timestamp? {
        guard b.count >= 19, b[4] == UInt8(ascii: "/") || b[4] == UInt8(ascii: "-"), b[10] != UInt8(ascii: "t")
        else { return nil }
        return dateTime(b)
    }

    /// `yyyy?mm?dd?hh:mm:ss`, the same separator (checked by the caller) after the year and the month, `T`, `t` or
    /// a space before the time; then an optional fraction and zone (``iso8601(_:)``, ``slashDate(_:)``).
    private static func dateTime(_ b: Bytes) -> Timestamp? {
        guard b.count >= 19, let y = digits(b, 0, 4), let mo = digits(b, 5, 2), b[7] == b[4], let d = digits(b, 8, 2),
            b[10] == UInt8(ascii: "T") || b[10] == 32 || b[10] == UInt8(ascii: "t"),
            let h = digits(b, 11, 2), b[13] == UInt8(ascii: ":"), let mi = digits(b, 14, 2),
            b[16] == UInt8(ascii: ":"), let s = digits(b, 17, 2)
        else { return nil }
        var i = 19
        let ms = fraction(b, &i)
        guard let tz = zone(b, &i), i == b.count else { return nil }
        return Timestamp(year: y, month: mo, day: d, hour: h, minute: mi, second: s, millisecond: ms, offsetSeconds: tz)
    }

    /// Common Log Format: `02/Jan/2024:03:04:05 +0000` (the zone may be missing).
    package static func clf(_ b: Bytes) -> Timestamp? {
        guard b.count >= 20, let d = digits(b, 0, 2), b[2] == UInt8(ascii: "/"),
            let mo = month(b, 3), b[6] == UInt8(ascii: "/"), let y = digits(b, 7, 4), b[11] == UInt8(ascii: ":"),
            let h = digits(b, 12, 2), b[14] == UInt8(ascii: ":"), let mi = digits(b, 15, 2),
            b[17] == UInt8(ascii: ":"), let s = digits(b, 18, 2)
        else { return nil }
        var i = 20
        let ms = fraction(b, &i)
        while i < b.count, b[i] == 32 { i += 1 }
        guard let tz = zone(b, &i), i == b.count else { return nil }
        return Timestamp(year: y, month: mo, day: d, hour: h, minute: mi, second: s, millisecond: ms, offsetSeconds: tz)
    }

    /// Classic syslog `Jan  2 03:04:05` or `Jan 02 03:04:05`, with `year` supplied; also `Jan 02 2024 03:04:05`
    /// (Cisco ASA with `logging timestamp`). Returns the timestamp and how many bytes it used.
    package static func syslog(_ b: Bytes, defaultYear: Int) -> (Timestamp, Int)? {
        guard b.count >= 15, let mo = month(b, 0), b[3] == 32 else { return nil }
        var i = 4
        if b[i] == 32 { i += 1 }
        var d = 0
        var n = 0
        while i < b.count, n < 2, b[i] >= 48 && b[i] <= 57 {
            d = d * 10 + Int(b[i] - 48)
            i += 1
            n += 1
        }
        guard n > 0, i < b.count, b[i] == 32 else { return nil }
        i += 1
        var year = defaultYear
        if i + 5 <= b.count, let y = digits(b, i, 4), b[i + 4] == 32 {
            year = y
            i += 5
        }
        guard i + 8 <= b.count, let h = digits(b, i, 2), b[i + 2] == UInt8(ascii: ":"), let mi = digits(b, i + 3, 2),
            b[i + 5] == UInt8(ascii: ":"), let s = digits(b, i + 6, 2)
        else { return nil }
        i += 8
        let ms = fraction(b, &i)
        guard let t = Timestamp(year: year, month: mo, day: d, hour: h, minute: mi, second: s, millisecond: ms)
        else { return nil }
        return (t, i)
    }

    /// `Mon Jun 20 15:29:11 2022` (C `ctime`, Zscaler NSS default); also `Thu Sep 6 22:55:48 2012` with an
    /// unpadded one-digit day, as Zscaler's documentation shows it.
    package static func ctime(_ b: Bytes) -> Timestamp? {
        guard b.count >= 23, b[3] == 32 else { return nil }
        let rest = b.dropFirst(4)
        guard let mo = month(rest, 0), rest[3] == 32 else { return nil }
        var i = 4
        if rest[i] == 32 { i += 1 }
        var d = 0
        while i < rest.count, rest[i] >= 48 && rest[i] <= 57 {
            d = d * 10 + Int(rest[i] - 48)
            i += 1
        }
        guard i + 14 <= rest.count, rest[i] == 32, let h = digits(rest, i + 1, 2), let mi = digits(rest, i + 4, 2),
            let s = digits(rest, i + 7, 2), rest[i + 9] == 32, let y = digits(rest, i + 10, 4), i + 14 == rest.count
        else { return nil }
        return Timestamp(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
    }

    /// Tries every layout above: for vendors whose time format is configurable.
    package static func any(_ b: Bytes, defaultYear: Int) -> Timestamp? {
        guard !b.isEmpty else { return nil }
        if b[0] >= 48 && b[0] <= 57 {
            if b.count >= 5, b[4] == UInt8(ascii: "-") { return iso8601(b) ?? slashDate(b) }
            if b.count >= 5, b[4] == UInt8(ascii: "/") { return slashDate(b) }
            if b.count >= 3, b[2] == UInt8(ascii: "/") { return clf(b) }
            return epoch(b)
        }
        if let (t, used) = syslog(b, defaultYear: defaultYear), used == b.count { return t }
        return ctime(b)
    }

    /// Month number from a three-letter English abbreviation at `at` (any case).
    package static func month(_ b: Bytes, _ at: Int) -> Int? {
        guard at + 3 <= b.count else { return nil }
        let c0 = b[at] | 0x20
        let c1 = b[at + 1] | 0x20
        let c2 = b[at + 2] | 0x20
        switch (c0, c1, c2) {
        case (0x6A, 0x61, 0x6E): return 1  // jan
        case (0x66, 0x65, 0x62): return 2  // feb
        case (0x6D, 0x61, 0x72): return 3  // mar
        case (0x61, 0x70, 0x72): return 4  // apr
        case (0x6D, 0x61, 0x79): return 5  // may
        case (0x6A, 0x75, 0x6E): return 6  // jun
        case (0x6A, 0x75, 0x6C): return 7  // jul
        case (0x61, 0x75, 0x67): return 8  // aug
        case (0x73, 0x65, 0x70): return 9  // sep
        case (0x6F, 0x63, 0x74): return 10  // oct
        case (0x6E, 0x6F, 0x76): return 11  // nov
        case (0x64, 0x65, 0x63): return 12  // dec
        default: return nil
        }
    }

    /// `count` decimal digits at `at`.
    @inline(__always)
    package static func digits(_ b: Bytes, _ at: Int, _ count: Int) -> Int? {
        guard at >= 0, at + count <= b.count else { return nil }
        var v = 0
        for i in at..<(at + count) {
            let c = b[i]
            guard c >= 48 && c <= 57 else { return nil }
            v = v * 10 + Int(c - 48)
        }
        return v
    }

    /// One to `maxDigits` decimal digits at `i`, advancing `i` past them; nil (and `i` unchanged) if there are none.
    static func number(_ b: Bytes, _ i: inout Int, maxDigits: Int) -> Int? {
        var v = 0
        let start = i
        while i < b.count, i - start < maxDigits, b[i] >= 48 && b[i] <= 57 {
            v = v * 10 + Int(b[i] - 48)
            i += 1
        }
        return i > start ? v : nil
    }

    /// The digits of a fraction of a second at `i` (after its `.`), as milliseconds: digits past the third count
    /// for nothing. Reads at most `maxDigits` digits and advances `i` past them; nil (and `i` unchanged) if there
    /// are none.
    static func milliseconds(_ b: Bytes, _ i: inout Int, maxDigits: Int = .max) -> Int? {
        var ms = 0
        var scale = 100
        let start = i
        while i < b.count, i - start < maxDigits, b[i] >= 48 && b[i] <= 57 {
            ms += Int(b[i] - 48) * scale
            scale /= 10
            i += 1
        }
        return i > start ? ms : nil
    }

    /// An optional `.fff…` or `,fff…` fraction at `i`, as milliseconds; advances `i`.
    private static func fraction(_ b: Bytes, _ i: inout Int) -> Int {
        guard i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") else { return 0 }
        var j = i + 1
        guard let ms = milliseconds(b, &j) else { return 0 }
        i = j
        return ms
    }

    /// An optional zone at `i`: `Z`, `±hh:mm`, `±hhmm`, `±hh`, ` UTC`/` GMT`; nil if malformed.
    private static func zone(_ b: Bytes, _ i: inout Int) -> Int? {
        guard i < b.count else { return 0 }
        let c = b[i]
        if c == UInt8(ascii: "Z") || c == UInt8(ascii: "z") {
            i += 1
            return 0
        }
        if c == 32, b.count - i == 4,
            b.sub((i + 1)..<(i + 4)).equalsCaseInsensitive("utc")
                || b.sub((i + 1)..<(i + 4)).equalsCaseInsensitive("gmt")
        {
            i += 4
            return 0
        }
        guard c == UInt8(ascii: "+") || c == UInt8(ascii: "-") else { return nil }
        let sign = c == UInt8(ascii: "-") ? -1 : 1
        guard let hh = digits(b, i + 1, 2), hh <= 23 else { return nil }
        var j = i + 3
        var mm = 0
        if j < b.count, b[j] == UInt8(ascii: ":") { j += 1 }
        if let m = digits(b, j, 2) {
            guard m <= 59 else { return nil }
            mm = m
            j += 2
        }
        i = j
        return sign * (hh * 3600 + mm * 60)
    }

    /// The value of eight ASCII digits in a little-endian word (the first digit in the low byte), or nil if any
    /// byte is not a digit: the word-wide digit test of fast_float and the multiply-shift reduction of simdjson.
    @inline(__always)
    static func eightDigits(_ w: UInt64) -> UInt64? {
        let zeros: UInt64 = 0x3030_3030_3030_3030
        let above: UInt64 = w &+ 0x4646_4646_4646_4646
        let below: UInt64 = w &- zeros
        guard (above | below) & 0x8080_8080_8080_8080 == 0 else { return nil }
        let pairs: UInt64 = below &* 10 &+ (below >> 8)
        let low: UInt64 = pairs & 0x0000_00FF_0000_00FF
        let high: UInt64 = (pairs >> 16) & 0x0000_00FF_0000_00FF
        let k1: UInt64 = 100 + (1_000_000 << 32)
        let k2: UInt64 = 1 + (10_000 << 32)
        return (low &* k1 &+ high &* k2) >> 32
    }

    /// Rejects instants before 1990 or more than a day past 2100: a log line from there is a bad timestamp.
    private static func plausible(_ t: Timestamp) -> Timestamp? {
        let s = t.secondsSinceEpoch
        return s >= 631_152_000 && s <= 4_102_531_200 ? t : nil
    }
}
