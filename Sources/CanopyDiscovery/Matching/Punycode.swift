/// IDNA host conversion: Unicode labels to their ASCII `xn--` form (RFC 3492 Punycode, RFC 5891 A-labels).
///
/// Catalog rules are ASCII; a log may carry a Unicode host (`bücher.example`). Lowercasing uses Swift's Unicode
/// lowercase mapping, which matches IDNA2008 for the common cases; full UTS #46 mapping is not attempted.
package enum Punycode {
    /// The ASCII form of a host: unchanged if it is ASCII, otherwise each non-ASCII label as `xn--…`.
    /// Nil when a label cannot be encoded.
    package static func asciiHost(_ host: String) -> String? {
        if host.utf8.allSatisfy({ $0 < 0x80 }) { return host.lowercased() }
        var labels: [String] = []
        // IDNA label separators: full stop and its ideographic/fullwidth/halfwidth forms.
        let normalized = host.lowercased().map { c -> Character in
            ["\u{3002}", "\u{FF0E}", "\u{FF61}"].contains(c) ? "." : c
        }
        for label in String(normalized).split(separator: ".", omittingEmptySubsequences: false) {
            if label.unicodeScalars.allSatisfy({ $0.isASCII }) {
                labels.append(String(label))
            } else {
                guard let encoded = encode(Array(label.unicodeScalars.map { $0.value })) else { return nil }
                labels.append("xn--" + encoded)
            }
        }
        return labels.joined(separator: ".")
    }

    /// RFC 3492 encoding of code points (without the `xn--` prefix).
    package static func encode(_ input: [UInt32]) -> String? {
        let base: UInt32 = 36
        let tMin: UInt32 = 1
        let tMax: UInt32 = 26
        var n: UInt32 = 128
        var delta: UInt32 = 0
        var bias: UInt32 = 72
        var output: [UInt8] = input.filter { $0 < 0x80 }.map { UInt8($0) }
        let basicCount = UInt32(output.count)
        var handled = basicCount
        if basicCount > 0 { output.append(UInt8(ascii: "-")) }
        func digit(_ d: UInt32) -> UInt8 { UInt8(d < 26 ? d + 97 : d + 22) }
        while handled < UInt32(input.count) {
            guard let m = input.filter({ $0 >= n }).min() else { return nil }
            let (product, overflow) = (m - n).multipliedReportingOverflow(by: handled + 1)
            guard !overflow, delta <= UInt32.max - product else { return nil }
            delta += product
            n = m
            for c in input {
                if c < n {
                    guard delta < UInt32.max else { return nil }
                    delta += 1
                }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func adapt(_ delta: UInt32, _ numPoints: UInt32, _ first: Bool) -> UInt32 {
        var d = first ? delta / 700 : delta / 2
        d += d / numPoints
        var k: UInt32 = 0
        while d > ((36 - 1) * 26) / 2 {
            d /= 36 - 1
            k += 36
        }
        return k + (36 - 1 + 1) * d / (d + 38)
    }
}
