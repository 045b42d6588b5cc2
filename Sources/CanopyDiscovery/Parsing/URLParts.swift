/// Finds the host and port in a URL or request target without building the URL string.
package enum URLParts {
    /// The host in `scheme://[user@]host[:port]/…`, `host:port` (CONNECT) or `host/path`; IPv6 literals
    /// keep no brackets. Nil when there is no host (a bare `/path`, `-`).
    package static func hostRange(in url: Bytes) -> Range<Int>? {
        let n = url.count
        guard n > 0, url[0] != UInt8(ascii: "/"), !url.isPlaceholder else { return nil }
        var start = 0
        // Scheme: `https://` and `http://` first, then any scheme of up to 15 characters.
        if url.hasPrefix("https://") {
            start = 8
        } else if url.hasPrefix("http://") {
            start = 7
        } else if let sep = schemeSeparator(in: url), sep < 16 {
            start = sep + 3
        }
        // To the end of the authority, a delimiter at a time (eight bytes per step in between), noting the last
        // `@` (userinfo ends there) and the first `:` after it (a port follows).
        var end = n
        var s = start
        var colon = -1
        var i = start
        scan: while true {
            i = WordScan.firstIndex(of: 0x2F, 0x3F, 0x23, 0x40, 0x3A, in: url, from: i)  // / ? # @ :
            guard i < n else { break }
            switch url[i] {
            case UInt8(ascii: "@"):
                s = i + 1
                colon = -1
            case UInt8(ascii: ":"):
                if colon < 0 { colon = i }
            default:
                end = i
                break scan
            }
            i += 1
        }
        guard s < end else { return nil }
        if url[s] == UInt8(ascii: "[") {
            guard let close = url.index(of: UInt8(ascii: "]"), from: s), close < end else { return nil }
            return (s + 1)..<close
        }
        let e = colon >= 0 ? colon : end
        guard e > s else { return nil }
        return s..<e
    }

    /// Where the first `://` starts within the first 19 bytes, if anywhere.
    @inline(__always)
    private static func schemeSeparator(in url: Bytes) -> Int? {
        let limit = min(url.count, 19)
        var i = 0
        while true {
            i = WordScan.firstIndex(of: UInt8(ascii: ":"), in: url, from: i)
            guard i + 2 < limit else { return nil }
            if url[i + 1] == UInt8(ascii: "/"), url[i + 2] == UInt8(ascii: "/") { return i }
            i += 1
        }
    }

    /// The explicit port in the authority, if any.
    package static func port(in url: Bytes) -> Int? {
        guard let host = hostRange(in: url) else { return nil }
        return port(in: url, after: host)
    }

    /// The explicit port after the host at `host` (a ``hostRange(in:)`` result), if any.
    package static func port(in url: Bytes, after host: Range<Int>) -> Int? {
        var i = host.upperBound
        if i < url.count, url[i] == UInt8(ascii: "]") { i += 1 }
        guard i < url.count, url[i] == UInt8(ascii: ":") else { return nil }
        var j = i + 1
        while j < url.count, url[j] >= 48 && url[j] <= 57 { j += 1 }
        return url.sub((i + 1)..<j).port
    }

    /// The default port for the URL's scheme (`https` 443, `http` 80), if it names one.
    package static func schemePort(in url: Bytes) -> Int? {
        if url.hasPrefix("https://") || url.hasPrefix("HTTPS://") { return 443 }
        if url.hasPrefix("http://") || url.hasPrefix("HTTP://") { return 80 }
        return nil
    }
}
