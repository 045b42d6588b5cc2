/// ArcSight Common Event Format: `CEF:Version|Vendor|Product|Version|SignatureID|Name|Severity|k=v k=v …`.
///
/// From the ArcSight "Implementing ArcSight CEF" guide: the header uses `|` with `\|` and `\\` escapes; the
/// extension is space-separated `key=value` where a value may contain spaces and escapes `\=`, `\\` and `\n`.
/// The message may follow a syslog header, which is skipped. Extension pairs are kept as reused ranges.
package struct CEFMessage: Sendable {
    private var header: [Range<Int>] = []
    private var pairs = KeyValueRanges()
    private var base: Bytes { pairs.base }
    /// Where `CEF:` starts in the line (what precedes it is a syslog header).
    package private(set) var start = 0

    package init() {
        header.reserveCapacity(8)
    }

    /// Parses the line. Returns false if it holds no `CEF:` message with seven header fields.
    package mutating func parse(_ line: Bytes) -> Bool {
        header.removeAll(keepingCapacity: true)
        pairs.reset(line)
        guard let s = line.index(of: "CEF:") else { return false }
        start = s
        let n = line.count
        var i = s + 4
        var fieldStart = i
        while i < n, header.count < 7 {
            let b = line[i]
            if b == UInt8(ascii: "\\"), i + 1 < n {
                i += 2
                continue
            }
            if b == UInt8(ascii: "|") {
                header.append(fieldStart..<i)
                fieldStart = i + 1
            }
            i += 1
        }
        guard header.count == 7 else { return false }
        scanExtension(from: fieldStart)
        return true
    }

    /// Header field: 0 version, 1 vendor, 2 product, 3 version, 4 signature id, 5 name, 6 severity.
    package func headerField(_ index: Int) -> Bytes {
        guard index < header.count else { return Bytes(start: nil, count: 0) }
        return base.sub(header[index])
    }

    package var pairCount: Int { pairs.count }
    package func key(_ index: Int) -> Bytes { pairs.key(index) }
    package func value(_ index: Int) -> Bytes { pairs.value(index) }

    /// The raw value of an extension key.
    package func value(for key: StaticString) -> Bytes? { pairs.value(for: key) }

    /// The unescaped value of an extension key; nil if absent or a placeholder.
    package func string(for key: StaticString) -> String? {
        guard let v = value(for: key), !v.isPlaceholder else { return nil }
        return Escapes.unescapeCEF(v)
    }

    /// The value of a custom string field (`cs1`…`cs6`) whose label (`cs1Label`…) equals `label`.
    package func customString(labelled label: StaticString) -> String? {
        let labels: [(StaticString, StaticString)] = [
            ("cs1Label", "cs1"), ("cs2Label", "cs2"), ("cs3Label", "cs3"), ("cs4Label", "cs4"), ("cs5Label", "cs5"),
            ("cs6Label", "cs6"), ("cn1Label", "cn1"), ("cn2Label", "cn2"), ("cn3Label", "cn3"),
        ]
        for (labelKey, valueKey) in labels {
            if let l = value(for: labelKey), l.equals(label) { return string(for: valueKey) }
        }
        return nil
    }

    private mutating func scanExtension(from start: Int) {
        let line = base
        let n = line.count
        // Find every unescaped '='; the key is the token before it, back to a space.
        var pendingKey: Range<Int>? = nil
        var valueStart = start
        var i = start
        while i < n {
            let b = line[i]
            if b == UInt8(ascii: "\\") {
                i += 2
                continue
            }
            if b == UInt8(ascii: "=") {
                // Key: back from i to the previous space (or start).
                var k = i
                while k > start, line[k - 1] != 32 { k -= 1 }
                let keyRange = k..<i
                if keyRange.isEmpty || !isKey(line.sub(keyRange)) {
                    i += 1
                    continue
                }
                if let pk = pendingKey {
                    var ve = max(valueStart, k - 1)
                    while ve > valueStart, line[ve - 1] == 32 { ve -= 1 }
                    pairs.append(key: pk, value: valueStart..<ve)
                }
                pendingKey = keyRange
                valueStart = i + 1
            }
            i += 1
        }
        if let pk = pendingKey {
            var ve = n
            while ve > valueStart, line[ve - 1] == 32 || line[ve - 1] == 13 { ve -= 1 }
            pairs.append(key: pk, value: valueStart..<ve)
        }
    }

    private func isKey(_ bytes: Bytes) -> Bool {
        for b in bytes {
            let ok =
                (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b == 46
                || b == 45
            if !ok { return false }
        }
        return true
    }
}
