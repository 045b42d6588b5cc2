import CanopyCore

/// A realistic traffic mix: Zipf-distributed SaaS hosts (with subdomains), unknown and private destinations,
/// thousands of users and source IPs, a week of time, heavy-tailed byte counts, some blocks.
struct Workload {
    static let saasHosts = [
        "www.dropbox.com", "content.dropboxapi.com", "app.slack.com", "files.slack.com", "outlook.office365.com",
        "login.microsoftonline.com", "teams.microsoft.com", "graph.microsoft.com", "onedrive.live.com",
        "sharepoint.com", "contoso.sharepoint.com", "drive.google.com", "docs.google.com", "mail.google.com",
        "www.google.com", "apis.google.com", "github.com", "api.github.com", "raw.githubusercontent.com",
        "app.box.com", "zoom.us", "us02web.zoom.us", "www.salesforce.com", "na1.salesforce.com", "app.hubspot.com",
        "www.notion.so", "wetransfer.com", "mega.nz", "chatgpt.com", "api.openai.com", "claude.ai", "www.deepl.com",
        "www.canva.com", "www.figma.com", "trello.com", "bitbucket.org", "acme.atlassian.net", "app.asana.com",
        "miro.com", "www.linkedin.com", "www.facebook.com", "www.instagram.com", "twitter.com", "x.com",
        "www.youtube.com", "www.netflix.com", "open.spotify.com", "web.whatsapp.com", "web.telegram.org",
        "discord.com", "www.reddit.com", "www.amazon.com", "s3.amazonaws.com", "console.aws.amazon.com",
        "portal.azure.com", "cloud.google.com", "www.icloud.com", "www.evernote.com", "app.smartsheet.com",
        "www.docusign.net", "na3.docusign.net", "workday.com", "wd5.myworkday.com", "service-now.com",
        "acme.service-now.com", "zendesk.com", "acme.zendesk.com", "www.pinterest.com", "www.tiktok.com",
        "www.dailymotion.com", "pastebin.com", "www.4shared.com", "www.mediafire.com", "anydesk.com",
        "www.teamviewer.com", "nordvpn.com", "protonmail.com", "mail.yahoo.com", "www.yandex.ru", "www.baidu.com",
        "duckduckgo.com", "www.bing.com", "update.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr.net",
        "www.paypal.com", "stripe.com", "app.gusto.com", "www.xero.com", "quickbooks.intuit.com", "www.okta.com",
        "acme.okta.com", "gitlab.com", "hub.docker.com", "registry.npmjs.org", "pypi.org", "stackoverflow.com",
    ]

    var random: SplitMix64
    let users: [String]
    let clientIPs: [String]
    let start: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z
    let span: Int64 = 7 * 86_400

    /// How many requests the whole file holds: they are spread evenly over the week.
    let total: Int

    init(seed: UInt64, total: Int) {
        random = SplitMix64(seed: seed)
        self.total = max(1, total)
        users = (0..<2000).map { "user\($0)" }
        clientIPs = (0..<1500).map { "10.\(1 + $0 / 250).\($0 % 250 / 10).\($0 % 10 + 10)" }
    }

    /// One request.
    struct Request {
        var time: Int64
        var milliseconds: Int
        var user: String?
        var clientIP: String
        var host: String
        var serverIP: String
        var port: Int
        var path: String
        var method: String
        var status: Int
        var bytesUp: Int
        var bytesDown: Int
        var blocked: Bool
        var secure: Bool
    }

    /// A fixed public address per host name, as DNS would give (a few per big service in reality; one here).
    static func serverAddress(of host: String) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in host.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return "\(13 + h % 190).\((h >> 8) % 256).\((h >> 16) % 256).\(1 + (h >> 24) % 254)"
    }

    mutating func next(index: Int) -> Request {
        let r = random.unit()
        let host: String
        if r < 0.80 {
            // Zipf-like: the head gets most traffic.
            let k = Int(Double(Self.saasHosts.count) * pow01(random.unit(), 2.2))
            host = Self.saasHosts[min(k, Self.saasHosts.count - 1)]
        } else if r < 0.95 {
            // A long tail of sites the catalog does not know: a few thousand, some much more visited than others.
            let site = Int(3000 * pow01(random.unit(), 2))
            host = "cdn\(site % 7).unknown-site-\(site).net"
        } else {
            host = "10.\(random.below(4)).\(random.below(250)).\(random.below(250))"
        }
        let blocked = random.below(100) < 2
        // Each user works from one machine, sometimes from a second one (VPN, another laptop); 10% of requests
        // come from machines nobody logged in on.
        let userIndex = random.below(users.count)
        let anonymous = random.below(10) == 0
        let ipIndex =
            anonymous
            ? random.below(clientIPs.count) : (userIndex + (random.below(10) == 0 ? 777 : 0)) % clientIPs.count
        let secure = random.below(10) < 8
        let up = 200 + random.below(1500) + (random.below(50) == 0 ? random.below(5_000_000) : 0)
        let down = blocked ? 3000 : 300 + Int(200_000 * pow01(random.unit(), 4))
        return Request(
            time: start + Int64(index) * span / Int64(total) + Int64(random.below(3)),
            milliseconds: random.below(1000),
            user: anonymous ? nil : users[userIndex],
            clientIP: clientIPs[ipIndex],
            host: host,
            serverIP: Self.serverAddress(of: host),
            port: secure ? 443 : 80,
            path: "/api/v\(1 + random.below(3))/items/\(random.below(100_000))",
            method: random.below(5) == 0 ? "POST" : "GET",
            status: blocked ? 403 : (random.below(20) == 0 ? 404 : 200),
            bytesUp: up,
            bytesDown: down,
            blocked: blocked,
            secure: secure
        )
    }
}

/// x^k for x in [0, 1): a cheap heavy-tail shaping function.
func pow01(_ x: Double, _ k: Double) -> Double {
    var r = 1.0
    var i = 0.0
    while i < k.rounded(.down) {
        r *= x
        i += 1
    }
    return r
}
