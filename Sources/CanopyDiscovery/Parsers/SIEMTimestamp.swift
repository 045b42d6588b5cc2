import CanopyCore

/// Time values as SIEM formats carry them: CEF `rt`/`start`/`end` and LEEF `devTime` (optionally described by
/// `devTimeFormat`).
///
/// The ArcSight "Implementing ArcSight CEF" guide allows epoch milliseconds and `MMM dd yyyy HH:mm:ss[.SSS][ zzz]`
/// (also without the year); IBM's LEEF guide lets the sender describe `devTime` with a Java `SimpleDateFormat`
/// pattern, or send epoch milliseconds. Vendors add epoch seconds (Forcepoint, Check Point) and ISO 8601.
/// A zone written in the value is applied; without one the time is UTC. A zone name that cannot be resolved to
/// an offset (`America/Chicago`, `YEKT`) makes the value unusable: the caller rejects it as a bad timestamp
/// rather than guessing.
enum SIEMTimestamp {
    /// Parses `value`, following `format` when the sender gave a `SimpleDateFormat` pattern; falls back to the
    /// value's shape when the pattern uses letters this reader does not know or does not match.
    static func parse(_ value: Bytes, format: Bytes? = nil, defaultYear: Int) -> Timestamp? {
        let v = value.trimmed
        guard !v.isEmpty else { return nil }
        if let format, !format.trimmed.isEmpty, let t = byPattern(v, format.trimmed, defaultYear: defaultYear) {
            return t
        }
        return byShape(v, defaultYear: defaultYear)
    }

    /// Epoch seconds or milliseconds, ISO 8601 and the other numeric layouts, `MMM dd [yyyy] HH:mm:ss[.SSS] [zone]`
    /// and `ctime`.
    private static func byShape(_ v: Bytes, defaultYear: Int) -> Timestamp? {
        let first = v[0]
        if first >= 48 && first <= 57 { return TimeParsing.any(v, defaultYear: defaultYear) }
        if let (t, used) = TimeParsing.syslog(v, defaultYear: defaultYear) {
            guard let offset = zoneOffset(v.dropFirst(used).trimmed) else { return nil }
            return Timestamp(millisecondsSinceEpoch: t.millisecondsSinceEpoch - Int64(offset) * 1000)
        }
        return TimeParsing.ctime(v)
    }

    /// The offset east of UTC, in seconds, of a zone written after a time: empty (UTC), `Z`, `UTC`, `GMT`, `UT`,
    /// `±hh`, `±hhmm`, `±hh:mm`, `GMT±hh:mm`, and the North American and central European abbreviations.
    static func zoneOffset(_ z: Bytes) -> Int? {
        var rest = z
        if rest.isEmpty || rest.equalsCaseInsensitive("z") { return 0 }
        if rest.hasPrefix("UTC") || rest.hasPrefix("GMT") {
            rest = rest.dropFirst(3)
        } else if rest.hasPrefix("UT") {
            rest = rest.dropFirst(2)
        } else if let named = namedZone(rest) {
            return named
        }
        if rest.isEmpty { return 0 }
        let sign: Int
        switch rest[0] {
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: return nil
        }
        let digits = rest.dropFirst(1)
        var hours = 0
        var minutes = 0
        switch digits.count {
        case 1, 2:
            guard let h = TimeParsing.digits(digits, 0, digits.count) else { return nil }
            hours = h
        case 4:
            guard let h = TimeParsing.digits(digits, 0, 2), let m = TimeParsing.digits(digits, 2, 2) else { return nil }
            hours = h
            minutes = m
        case 5:
            guard digits[2] == UInt8(ascii: ":"), let h = TimeParsing.digits(digits, 0, 2),
                let m = TimeParsing.digits(digits, 3, 2)
            else { return nil }
            hours = h
            minutes = m
        default:
            return nil
        }
        guard hours <= 14, minutes <= 59 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    private static func namedZone(_ z: Bytes) -> Int? {
        guard z.count >= 3, z.count <= 4 else { return nil }
        let table: [(StaticString, Int)] = [
            ("est", -5), ("edt", -4), ("cst", -6), ("cdt", -5), ("mst", -7), ("mdt", -6), ("pst", -8), ("pdt", -7),
            ("cet", 1), ("cest", 2), ("eet", 2), ("eest", 3), ("wet", 0), ("west", 1),
        ]
        for (name, hours) in table where z.equalsCaseInsensitive(name) { return hours * 3600 }
        return nil
    }

    // MARK: SimpleDateFormat patterns

    /// Reads `v` as the Java `SimpleDateFormat` pattern `p` describes (`yyyy`, `yy`, `MM`, `MMM`, `dd`, `HH`,
    /// `hh` + `a`, `mm`, `ss`, `SSS`, `z`/`Z`/`X`, `EEE`, quoted literals); nil when it does not match.
    private static func byPattern(_ v: Bytes, _ p: Bytes, defaultYear: Int) -> Timestamp? {
        var fields = PatternFields()
        var i = 0
        var j = 0
        while j < p.count {
            let c = p[j]
            if c == UInt8(ascii: "'") {
                j += 1
                if j < p.count, p[j] == UInt8(ascii: "'") {
                    guard i < v.count, v[i] == c else { return nil }
                    i += 1
                    j += 1
                    continue
                }
                while j < p.count, p[j] != UInt8(ascii: "'") {
                    guard i < v.count, v[i] == p[j] else { return nil }
                    i += 1
                    j += 1
                }
                j += 1
                continue
            }
            guard isLetter(c) else {
                if c == 32 {
                    while i < v.count, v[i] == 32 { i += 1 }
                } else {
                    guard i < v.count, v[i] == c else { return nil }
                    i += 1
                }
                j += 1
                continue
            }
            var run = 1
            while j + run < p.count, p[j + run] == c { run += 1 }
            j += run
            guard fields.read(letter: c, run: run, from: v, at: &i) else { return nil }
        }
        while i < v.count, v[i] == 32 { i += 1 }
        guard i == v.count else { return nil }
        return fields.timestamp(defaultYear: defaultYear)
    }

    fileprivate static func isLetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
}

/// The calendar fields a `SimpleDateFormat` pattern has read so far.
private struct PatternFields {
    var date = DateTimeFields()
    var isPM: Bool?
    var twelveHour = false

    /// Reads one pattern letter run at `i`; false when the value does not fit or the letter is unsupported.
    mutating func read(letter c: UInt8, run: Int, from v: Bytes, at i: inout Int) -> Bool {
        switch c {
        case UInt8(ascii: "y"):
            if run == 2 {
                guard let y = TimeParsing.number(v, &i, maxDigits: 2) else { return false }
                date.year = 2000 + y
            } else {
                guard let y = TimeParsing.number(v, &i, maxDigits: 4) else { return false }
                date.year = y
            }
        case UInt8(ascii: "M"), UInt8(ascii: "L"):
            if run >= 3 {
                guard let m = TimeParsing.month(v, i) else { return false }
                date.month = m
                i += 3
                if run >= 4 { skipLetters(v, &i) }
            } else {
                guard let m = TimeParsing.number(v, &i, maxDigits: 2) else { return false }
                date.month = m
            }
        case UInt8(ascii: "d"):
            guard let d = TimeParsing.number(v, &i, maxDigits: 2) else { return false }
            date.day = d
        case UInt8(ascii: "H"), UInt8(ascii: "k"):
            guard let h = TimeParsing.number(v, &i, maxDigits: 2) else { return false }
            date.hour = c == UInt8(ascii: "k") && h == 24 ? 0 : h
        case UInt8(ascii: "h"), UInt8(ascii: "K"):
            guard let h = TimeParsing.number(v, &i, maxDigits: 2) else { return false }
            date.hour = h % 12
            twelveHour = true
        case UInt8(ascii: "a"):
            guard i + 2 <= v.count else { return false }
            let marker = v.sub(i..<(i + 2))
            if marker.equalsCaseInsensitive("am") {
                isPM = false
            } else if marker.equalsCaseInsensitive("pm") {
                isPM = true
            } else {
                return false
            }
            i += 2
        case UInt8(ascii: "m"):
            guard let m = TimeParsing.number(v, &i, maxDigits: 2) else { return false }
            date.minute = m
        case UInt8(ascii: "s"):
            guard let s = TimeParsing.number(v, &i, maxDigits: 2) else { return false }
            date.second = s
        case UInt8(ascii: "S"):
            guard let ms = TimeParsing.milliseconds(v, &i, maxDigits: 9) else { return false }
            date.millisecond = ms
        case UInt8(ascii: "E"):
            guard i < v.count, SIEMTimestamp.isLetter(v[i]) else { return false }
            skipLetters(v, &i)
        case UInt8(ascii: "z"), UInt8(ascii: "Z"), UInt8(ascii: "X"):
            let start = i
            while i < v.count, v[i] != 32 { i += 1 }
            guard let o = SIEMTimestamp.zoneOffset(v.sub(start..<i)) else { return false }
            date.offset = o
        default:
            return false
        }
        return true
    }

    func timestamp(defaultYear: Int) -> Timestamp? {
        var fields = date
        if twelveHour, isPM == true { fields.hour += 12 }
        return fields.timestamp(defaultYear: defaultYear)
    }

    private func skipLetters(_ v: Bytes, _ i: inout Int) {
        while i < v.count, SIEMTimestamp.isLetter(v[i]) { i += 1 }
    }
}
