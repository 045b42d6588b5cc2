/// IBM QRadar Log Event Extended Format 1.0 and 2.0.
///
/// `LEEF:1.0|Vendor|Product|Version|EventID|k=v<TAB>k=v…`; 2.0 adds a delimiter field after EventID:
/// `LEEF:2.0|Vendor|Product|Version|EventID|^|k=v^k=v`, where the delimiter is one character or its hex code
/// (`x5E`, `0x5E`). Values run to the next delimiter and may contain `=`.
package struct LEEFMessage: Sendable {
    private var header: [Range<Int>] = []
    private var pairs = KeyValueRanges()
    private var base: Bytes { pairs.base }
    /// The LEEF version: 1 or 2.
    package private(set) var version = 1
    /// The attribute delimiter in use.
    package private(set) var delimiter: UInt8 = 9

    package init() {
        header.reserveCapacity(6)
    }

    /// Header field: 0 version, 1 vendor, 2 product, 3 product version, 4 event id.
    package func headerField(_ index: Int) -> Bytes {
        guard index < header.count else { return Bytes(start: nil, count: 0) }
        return base.sub(header[index])
    }

    /// Parses the line; false if it holds no LEEF message.
    package mutating func parse(_ line: Bytes) -> Bool {
        header.removeAll(keepingCapacity: true)
        pairs.reset(line)
        guard let s = line.index(of: "LEEF:") else { return false }
        let n = line.count
        var i = s + 5
        var fieldStart = i
        while i < n, header.count < 5 {
            if line[i] == UInt8(ascii: "|") {
                header.append(fieldStart..<i)
                fieldStart = i + 1
            }
            i += 1
        }
        guard header.count == 5 else { return false }
        let v = line.sub(header[0])
        version = v.hasPrefix("2") ? 2 : 1
        delimiter = 9
        if version == 2 {
            // Delimiter field up to the next '|'. It is optional: senders such as Check Point Log Exporter write
            // `LEEF:2.0|Check Point|…|Accept|cat=…<TAB>src=…`, so a field holding `=` is already the first
            // attribute and the default tab applies.
            let bar = line.index(of: UInt8(ascii: "|"), from: fieldStart)
            let d = line.sub(fieldStart..<(bar ?? n))
            if d.index(of: UInt8(ascii: "=")) == nil {
                if d.count == 1 {
                    delimiter = d[0]
                } else if d.count >= 2, let code = hexByte(d) {
                    delimiter = code
                } else if !d.isEmpty {
                    return false
                }
                fieldStart = bar.map { $0 + 1 } ?? n
            }
        }
        // Some senders use tabs even when declaring otherwise; accept the declared delimiter only.
        var p = fieldStart
        while p < n {
            var e = p
            while e < n, line[e] != delimiter { e += 1 }
            if let eq = line.index(of: UInt8(ascii: "="), from: p), eq < e {
                var ks = p
                while ks < eq, line[ks] == 32 { ks += 1 }
                pairs.append(key: ks..<eq, value: (eq + 1)..<e)
            }
            p = e + 1
        }
        return true
    }

    package var pairCount: Int { pairs.count }
    package func key(_ index: Int) -> Bytes { pairs.key(index) }
    package func value(_ index: Int) -> Bytes { pairs.value(index) }

    /// The raw value of an attribute.
    package func value(for key: StaticString) -> Bytes? { pairs.value(for: key) }

    /// An attribute as a string; nil if absent or a placeholder.
    package func string(for key: StaticString) -> String? {
        guard let v = value(for: key), !v.isPlaceholder else { return nil }
        return v.string
    }

    private func hexByte(_ d: Bytes) -> UInt8? {
        var digits = d
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
            digits = digits.dropFirst(2)
        } else if digits[0] == UInt8(ascii: "x") || digits[0] == UInt8(ascii: "X") {
            digits = digits.dropFirst(1)
        }
        guard digits.count == 2 else { return nil }
        var v: UInt8 = 0
        for b in digits {
            let h: UInt8
            switch b {
            case 48...57: h = b - 48
            case 65...70: h = b - 55
            case 97...102: h = b - 87
            default: return nil
            }
            v = v << 4 | h
        }
        return v
    }
}
