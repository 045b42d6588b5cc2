import CanopyCore
import CanopyDiscovery
import CanopyTesting
import Testing

@Suite struct AppMatcherTests {
    let catalog = TestCatalog.small()
    var matcher: AppMatcher { AppMatcher(catalog: catalog) }

    func appID(_ match: AppMatcher.Match) -> String? {
        if case .app(let i) = match { return catalog.apps[Int(i)].id }
        return nil
    }

    @Test(arguments: [
        ("dropbox.com", "dropbox"), ("www.dropbox.com", "dropbox"), ("WWW.DropBox.COM", "dropbox"),
        ("dl.dropboxapi.com.", "dropbox"), ("teams.microsoft.com", "microsoft-teams"),
        ("eu.teams.microsoft.com", "microsoft-teams"), ("login.microsoft.com", "microsoft"),
        ("microsoft.com", "microsoft"), ("www.dropbox.com:443", "dropbox"), ("only.example.net", "exact"),
        ("bücher.example", "bucher"), ("www.BÜCHER.example", "bucher"), ("xn--bcher-kva.example", "bucher"),
    ])
    func matchesTheLongestSuffix(host: String, expected: String) {
        #expect(appID(matcher.match(host: host, ip: nil)) == expected)
    }

    @Test(arguments: ["notdropbox.com", "dropbox.com.evil.net", "sub.only.example.net", "example.net", "com"])
    func doesNotMatchLookalikes(host: String) {
        #expect(appID(matcher.match(host: host, ip: nil)) == nil)
    }

    @Test func customAppIPRangesMatchAfterHosts() throws {
        #expect(appID(matcher.match(host: nil, ip: IPAddress("203.0.113.7"))) == "acme-erp")
        #expect(appID(matcher.match(host: "unknown.example.org", ip: IPAddress("203.0.113.7"))) == "acme-erp")
        #expect(appID(matcher.match(host: "www.dropbox.com", ip: IPAddress("203.0.113.7"))) == "dropbox")
    }

    @Test func privateAndLocalDestinationsAreNotApps() {
        #expect(matcher.match(host: nil, ip: IPAddress("10.1.2.3")) == .privateDestination)
        #expect(matcher.match(host: nil, ip: IPAddress("::1")) == .privateDestination)
        #expect(matcher.match(host: "fileserver", ip: nil) == .privateDestination)
        #expect(matcher.match(host: "intranet.corp", ip: nil) == .privateDestination)
        #expect(matcher.match(host: "printer.local", ip: nil) == .privateDestination)
    }

    @Test func unknownDestinationsAreReported() {
        #expect(matcher.match(host: "new-saas.example.io", ip: nil) == .unknownHost)
        #expect(matcher.match(host: nil, ip: IPAddress("198.51.100.4")) == .unknownIP)
        #expect(matcher.match(host: nil, ip: nil) == .none)
    }

    @Test func punycodeFollowsRFC3492() {
        // RFC 3492 §7.1 sample (Arabic/Egyptian) and common examples.
        #expect(Punycode.asciiHost("bücher.de") == "xn--bcher-kva.de")
        #expect(Punycode.asciiHost("münchen.de") == "xn--mnchen-3ya.de")
        #expect(Punycode.asciiHost("例え.jp") == "xn--r8jz45g.jp")
        #expect(Punycode.asciiHost("plain.example") == "plain.example")
    }

    @Test func shippedCatalogBuildsAndMatchesWellKnownApps() throws {
        guard let shipped = try TestCatalog.shipped() else {
            Issue.record("the shipped catalog is missing")
            return
        }
        let m = AppMatcher(catalog: shipped)
        for host in ["www.dropbox.com", "app.slack.com", "github.com", "drive.google.com", "outlook.office365.com"] {
            guard case .app = m.match(host: host, ip: nil) else {
                Issue.record("\(host) is not attributed to an app")
                continue
            }
        }
    }
}
