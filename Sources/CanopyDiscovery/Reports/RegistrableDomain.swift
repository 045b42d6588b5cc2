import CanopyCore

/// The registrable domain of a host ("eTLD+1"), approximated with the common multi-label public suffixes.
///
/// Used only to group unknown destinations in reports; a full Public Suffix List is not shipped.
package enum RegistrableDomain {
    private static let secondLevelSuffixes: Set<String> = [
        "co.uk", "org.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "me.uk", "com.au", "net.au", "org.au", "edu.au",
        "gov.au", "co.nz", "org.nz", "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "com.br", "net.br", "org.br",
        "gov.br", "com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "com.hk", "com.tw", "com.sg", "com.my", "co.in",
        "net.in", "org.in", "gov.in", "co.za", "co.kr", "or.kr", "com.mx", "com.ar", "com.tr", "com.pl", "com.ru",
        "co.il", "com.ua", "co.id", "com.vn", "com.ph", "com.pk", "com.sa", "com.eg", "com.co", "com.pe", "co.th",
        "in.th", "ac.th", "github.io", "herokuapp.com", "azurewebsites.net", "cloudfront.net", "appspot.com",
        "blogspot.com", "s3.amazonaws.com", "web.app", "firebaseapp.com", "netlify.app", "vercel.app", "pages.dev",
        "workers.dev",
    ]

    /// `a.b.example.co.uk` → `example.co.uk`; an IP or single label is returned as is.
    package static func of(_ host: String) -> String {
        if IPAddress(host) != nil { return host }
        let labels = host.split(separator: ".")
        guard labels.count > 2 else { return host }
        let lastTwo = labels.suffix(2).joined(separator: ".")
        if secondLevelSuffixes.contains(lastTwo) { return labels.suffix(3).joined(separator: ".") }
        let lastThree = labels.suffix(3).joined(separator: ".")
        if labels.count > 3, secondLevelSuffixes.contains(lastThree) { return labels.suffix(4).joined(separator: ".") }
        return lastTwo
    }
}
