import CanopyCore
import CanopyDiscovery
import CanopyTesting
import Testing

/// ``URLParts/hostRange(in:)`` scans eight bytes at a time; a plain byte loop written from its definition is the
/// reference.
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

    @Test func squidCountsOnlyDeniedResultsAsBlocked() {
        func blocked(_ code: String) -> Bool {
            var bytes = Array(code.utf8)
            return bytes.withUnsafeMutableBufferPointer { SquidNativeParser.isDenied(Bytes($0)) }
        }
        for code in ["TCP_DENIED", "TCP_DENIED_REPLY", "UDP_DENIED", "NONE_DENIED", "DENIED", "TCP_DDENIED"] {
            #expect(blocked(code), "\(code)")
        }
        for code in ["TCP_MISS", "TCP_REFRESH_MODIFIED", "TCP_DENIE", "DENIE", "", "D", "TCP_DEN1ED", "denied"] {
            #expect(!blocked(code), "\(code)")
        }
    }
}
