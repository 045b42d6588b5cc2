import CanopyCore

/// What Forcepoint (formerly Websense) Web Security's SIEM formats share: the header that names the product, the
/// user fields and the action words.
///
/// Forcepoint "SIEM Solutions" (Web Protection, v8.5): the predefined CEF and LEEF strings name vendor
/// `Forcepoint`, product `Security`; Forcepoint's Cloud Security Gateway export tool names `Forcepoint CSG`,
/// product `Web`. Older releases say `Websense`. Other Forcepoint products (NGFW `Firewall`, `Email Security`,
/// CASB) are other formats.
enum ForcepointWebSecurity {
    /// Whether a CEF or LEEF header's vendor and product are Forcepoint's web security.
    static func isWebSecurity(vendor: Bytes, product: Bytes) -> Bool {
        let v = vendor.trimmed
        let p = product.trimmed
        guard hasPrefixIgnoringCase(v, "forcepoint") || hasPrefixIgnoringCase(v, "websense") else { return false }
        return p.equalsCaseInsensitive("security") || p.equalsCaseInsensitive("web security")
            || p.equalsCaseInsensitive("web")
    }

    /// Sets the user from `loginID` (the login name), else from the user path (`userPath`, e.g.
    /// `LDAP://10.0.0.2 OU=Sales,DC=corp,DC=local/jdoe`), keeping its last component.
    static func applyUser(loginID: String?, userPath: String?, to r: inout TrafficRecord) {
        if let loginID, !loginID.isEmpty {
            r.user = loginID
            return
        }
        guard let userPath, !userPath.isEmpty else { return }
        if userPath.hasPrefix("LDAP://") || userPath.hasPrefix("WinNT://") || userPath.hasPrefix("ldap://"),
            let slash = userPath.lastIndex(of: "/")
        {
            let name = userPath[userPath.index(after: slash)...]
            if !name.isEmpty { r.user = String(name) }
            return
        }
        r.user = userPath
    }

    /// `permitted` / `blocked` (and the other ``CEFTraffic/action(_:)`` words); the LEEF event id
    /// `transaction:blocked` is read after its colon.
    static func action(_ word: Bytes) -> TrafficAction? {
        var w = word.trimmed
        if let colon = w.index(of: UInt8(ascii: ":")) { w = w.dropFirst(colon + 1) }
        return CEFTraffic.action(w)
    }

    private static func hasPrefixIgnoringCase(_ b: Bytes, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard b.count >= n else { return false }
        return b.sub(0..<n).equalsCaseInsensitive(literal)
    }
}
