import CanopyCore
import CanopyDiscovery
import CanopyTesting
import Testing

/// ``URLParts/hostRange(in:)`` and the literal search scan eight bytes at a time; plain loops written from their
/// definitions are the reference.
@Suite struct URLPartsTests {
    /// The definition, byte by byte: skip `http://`, `https://` or a scheme of up to 15 characters (a `://` that
    /// starts within the first 19 bytes), then the authority runs to `/`, `?` or `#`; userinfo ends at its last `@`,
    /// a port starts at the first `:` after it, and an IPv6 literal keeps no brackets.
    static func reference(_ url: [UInt8]) -> Range<Int>? {
        let n = url.count
        guard n > 0, url[0] != UInt8(ascii: "/") else { return nil }
        if ["-", "na", "n/a", "\"-\"", "null", "none", "(null)"].contains(
            String(decoding: url, as: UTF8.self).lowercased()
        ) {
            return nil
        }
        var start = 0
        let https = Array("https://".utf8)
        let http = Array("http://".utf8)
        if url.starts(with: https) {
            start = 8
        } else if url.starts(with: http) {
            start = 7
        } else {
            let head = Array(url.prefix(19))
            var sep: Int?
            var i = 0
            while i + 3 <= head.count {
                if head[i] == 58, head[i + 1] == 47, head[i + 2] == 47 {
                    sep = i
                    break
                }
                i += 1
            }
            if let sep, sep < 16 { start = sep + 3 }
        }
        var end = start
        var s = start
        var colon = -1
        while end < n {
            let c = url[end]
            if c == 47 || c == 63 || c == 35 { break }
            if c == 64 {
                s = end + 1
                colon = -1
            } else if c == 58, colon < 0 {
                colon = end
            }
            end += 1
        }
        guard s < end else { return nil }
        if url[s] == 91 {
            guard let close = url[s...].firstIndex(of: 93), close < end else { return nil }
            return (s + 1)..<close
        }
        let e = colon >= 0 ? colon : end
        guard e > s else { return nil }
        return s..<e
    }

    static func hostRange(_ url: [UInt8]) -> Range<Int>? {
        url.withUnsafeBufferPointer { URLParts.hostRange(in: $0) }
    }

    static let urls = [
        "https://www.dropbox.com/home", "http://example.org", "app.slack.com:443", "HTTPS://Mixed.Case/x",
        "ftp://files.example.net/pub", "https://user:pw@host.example:8443/p?q#f", "http://[2001:db8::1]:8080/",
        "http://[2001:db8::1/", "https://a@b@c.example/", "host/path", "/relative", "-", "N/A", "", "https://",
        "http://:80/", "wss://chat.example/socket", "a-very-long-scheme-name://x.example/", "x:y://odd.example/",
        "mailto:someone@example.com", "https://host.example?query", "https://host.example#frag",
        "host.example:65536", "https://täst.example/ü", "tcp://1.2.3.4:5", "12345678901234567://late.example/",
    ]

    @Test func crafted() {
        for url in Self.urls {
            let bytes = Array(url.utf8)
            #expect(Self.hostRange(bytes) == Self.reference(bytes), "\(url)")
        }
    }

    /// Random URLs over the bytes that matter to the scan, at every length around the eight-byte steps.
    @Test func randomURLsAgreeWithTheReference() {
        var random = SplitMix64(seed: 23)
        let alphabet = Array("ab.:/@?#[]-hpst%9".utf8) + [0xC3, 0xBC]
        let prefixes = ["", "https://", "http://", "ftp://", "x://"].map { Array($0.utf8) }
        for _ in 0..<30_000 {
            var url = prefixes[random.below(prefixes.count)]
            for _ in 0..<random.below(40) { url.append(alphabet[random.below(alphabet.count)]) }
            #expect(Self.hostRange(url) == Self.reference(url), "\(String(decoding: url, as: UTF8.self))")
        }
    }

    /// ``index(of:from:)`` for a literal jumps from one occurrence of its first byte to the next; a plain search
    /// is the reference.
    @Test func literalSearchAgreesWithAPlainSearch() {
        var random = SplitMix64(seed: 19)
        let alphabet = Array("DENIEDxD_/".utf8)
        for _ in 0..<30_000 {
            let bytes = (0..<random.below(24)).map { _ in alphabet[random.below(alphabet.count)] }
            let from = random.below(bytes.count + 2)
            let needle = Array("DENIED".utf8)
            var expected: Int?
            var i = from
            while i + needle.count <= bytes.count {
                if Array(bytes[i..<(i + needle.count)]) == needle {
                    expected = i
                    break
                }
                i += 1
            }
            let found = bytes.withUnsafeBufferPointer { $0.index(of: "DENIED", from: from) }
            #expect(found == expected, "\(bytes) from \(from)")
        }
    }
}

/// ``TimeParsing/epoch(_:)`` reads the common `%ts.%03tu` shape a word at a time; a plain reading of the definition
/// is the reference.
@Suite struct EpochParsingTests {
    /// Seconds (up to 11 digits) with an optional fraction, or 13 digits of milliseconds; 1990 to 2100.
    static func reference(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigitForTest)
        else { return nil }
        var millis: Int64
        if whole.count == 13, parts.count == 1 {
            guard let ms = Int64(whole) else { return nil }
            millis = ms
        } else {
            guard whole.count <= 11, let s = Int64(whole) else { return nil }
            millis = s * 1000
            if parts.count == 2 {
                let fraction = parts[1]
                guard !fraction.isEmpty, fraction.allSatisfy(\.isASCIIDigitForTest) else { return nil }
                let three = Array((fraction + "000").prefix(3))
                millis += Int64(String(three))!
            }
        }
        let seconds = millis / 1000
        return seconds >= 631_152_000 && seconds <= 4_102_531_200 ? millis : nil
    }

    static func parse(_ text: String) -> Int64? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { TimeParsing.epoch(Bytes($0))?.millisecondsSinceEpoch }
    }

    @Test func crafted() {
        for text in [
            "1767225602.646", "1700000000.123", "1700000000.000", "0000000000.000", "9999999999.999", "1700000000",
            "1700000000123", "1700000000.1", "1700000000.1234", "170000000a.123", "1700000000,123", "1700000000.12a",
            "1700000000.", ".1700000000", "17000000000.12", "1700000000.-12", "1700000000.\u{FF}12",
        ] {
            #expect(Self.parse(text) == Self.reference(text), "\(text)")
        }
    }

    /// Fourteen-byte strings that are mostly the fast shape, one byte changed.
    @Test func randomNearMissesAgreeWithTheReference() {
        var random = SplitMix64(seed: 31)
        let noise = Array("0123456789./:-a \u{7F}".utf8) + [0x80, 0xC3, 0xFF, 0x00, 0x2F, 0x3A]
        for _ in 0..<50_000 {
            var bytes = Array("\(1_600_000_000 + random.below(400_000_000)).\(100 + random.below(900))".utf8)
            if random.below(4) != 0 { bytes[random.below(bytes.count)] = noise[random.below(noise.count)] }
            let text = String(decoding: bytes, as: UTF8.self)
            let parsed = bytes.withUnsafeMutableBufferPointer { TimeParsing.epoch(Bytes($0))?.millisecondsSinceEpoch }
            // Bytes that are not valid UTF-8 are never digits: the reference sees a non-digit there too.
            #expect(parsed == Self.reference(text), "\(bytes)")
        }
    }
}

extension Character {
    fileprivate var isASCIIDigitForTest: Bool { isASCII && isNumber }
}
