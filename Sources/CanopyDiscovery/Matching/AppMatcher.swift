package import CanopyCore

/// Attributes a destination to a catalog app: longest domain suffix on the host (ports stripped,
/// case-insensitive, IDN-safe), then the IP ranges of custom apps. Private and loopback destinations are never apps.
package struct AppMatcher: Sendable {
    /// What a destination turned out to be.
    package enum Match: Sendable, Hashable {
        /// A catalog app, by index in ``AppCatalog/apps``.
        case app(Int32)
        /// A public host that no catalog rule matches.
        case unknownHost
        /// A public IP with no host name and no custom-app range.
        case unknownIP
        /// A private, loopback or link-local destination.
        case privateDestination
        /// No destination at all.
        case none
    }

    private var index: DomainIndex
    private var ranges: [(IPRange, Int32)] = []

    /// Builds the matcher for a catalog (custom apps included). Earlier apps win a shared domain.
    package init(catalog: AppCatalog) {
        var total = 0
        for app in catalog.apps { total += app.domains.count + (app.hosts?.count ?? 0) }
        index = DomainIndex(capacity: total)
        // Custom apps first, so a tenant's own rule beats the catalog's for the same domain.
        let order = catalog.apps.indices.sorted { a, b in
            let ca = catalog.apps[a].source == "custom"
            let cb = catalog.apps[b].source == "custom"
            return ca != cb ? ca : a < b
        }
        for i in order {
            let app = catalog.apps[i]
            for d in app.domains { index.insert(domain: Punycode.asciiHost(d) ?? d, value: Int32(i)) }
            for h in app.hosts ?? [] {
                index.insert(domain: Punycode.asciiHost(h) ?? h, value: Int32(i), exactOnly: true)
            }
            for r in app.ipRanges ?? [] {
                if let range = IPRange(r) { ranges.append((range, Int32(i))) }
            }
        }
    }

    /// Number of domain and host rules.
    package var ruleCount: Int { index.count }

    /// Matches a record's destination.
    package func match(host: String?, ip: IPAddress?) -> Match {
        if let host, !host.isEmpty {
            if let v = lookup(host: host) { return .app(v) }
            if let ip, ip.isPrivateOrLocal { return .privateDestination }
            if isLocalName(host) { return .privateDestination }
            if let ip, let v = rangeMatch(ip) { return .app(v) }
            return .unknownHost
        }
        if let ip {
            if ip.isPrivateOrLocal { return .privateDestination }
            if let v = rangeMatch(ip) { return .app(v) }
            return .unknownIP
        }
        return .none
    }

    /// The app for a host name (port and trailing dot stripped, any case, Unicode or punycode).
    package func lookup(host: String) -> Int32? {
        // Fast path: parsers hand over lowercase ASCII hosts without port or trailing dot, in contiguous storage.
        let fast = host.utf8.withContiguousStorageIfAvailable { bytes -> FastLookup in
            for b in bytes where b >= 0x80 || b == UInt8(ascii: ":") || b == UInt8(ascii: "[") {
                return .needsNormalizing
            }
            if bytes.last == UInt8(ascii: ".") { return .needsNormalizing }
            return .done(index.lookup(bytes))
        }
        if case .done(let value) = fast { return value }
        return normalizedLookup(host)
    }

    private enum FastLookup {
        case done(Int32?)
        case needsNormalizing
    }

    private func normalizedLookup(_ host: String) -> Int32? {
        var h = Substring(host)
        if h.hasSuffix(".") { h = h.dropLast() }
        if h.first == "[" { return nil }
        if let colon = h.lastIndex(of: ":"), h[h.index(after: colon)...].allSatisfy(\.isNumber),
            h.firstIndex(of: ":") == colon
        {
            h = h[..<colon]
        }
        if h.utf8.contains(where: { $0 >= 0x80 }) {
            guard let ascii = Punycode.asciiHost(String(h)) else { return nil }
            return index.lookup(ascii)
        }
        var v: Int32?
        var s = String(h)
        s.withUTF8 { v = index.lookup($0) }
        return v
    }

    /// The app for an ASCII host given as bytes, already without port (the hot path of the lookup benchmark).
    package func lookup(bytes host: Bytes) -> Int32? { index.lookup(host) }

    /// The custom app whose IP ranges hold `ip`, if any.
    package func rangeMatch(_ ip: IPAddress) -> Int32? {
        if ranges.isEmpty { return nil }
        for (range, app) in ranges where range.contains(ip) { return app }
        return nil
    }

    /// Single-label names and internal TLDs (`.local`, `.internal`, `.lan`, `.corp`, `.home.arpa`) are not cloud apps.
    package func isLocalName(_ host: String) -> Bool {
        if !host.contains(".") { return true }
        for suffix in [".local", ".internal", ".lan", ".corp", ".home.arpa", ".localdomain", ".intranet"]
        where host.hasSuffix(suffix) {
            return true
        }
        return host == "localhost"
    }
}
