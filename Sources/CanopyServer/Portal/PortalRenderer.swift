import Foundation
import Hummingbird
import Mustache

/// Renders portal pages: Mustache templates shipped inside the binary's resources (`Resources/portal`), every page
/// inside `layout.mustache` (navigation, the signed-in admin, the sign-out form). `{{value}}` escapes; the only
/// unescaped values (`{{{…Svg}}}`) are charts built by ``SVGChart``, which escapes every label itself.
package struct PortalRenderer: Sendable {
    let library: MustacheLibrary
    let assets: [String: (contentType: String, body: String)]

    /// The sections of the navigation, in order.
    static let navigation: [(id: String, title: String, path: String, permission: Permission)] = [
        ("dashboard", "Dashboard", "/", .readDiscovery),
        ("apps", "Discovered apps", "/discovery/apps", .readApps),
        ("users", "Users", "/discovery/users", .readDiscovery),
        ("ips", "IP addresses", "/discovery/ips", .readDiscovery),
        ("catalog", "App catalog", "/catalog", .readApps),
        ("snapshots", "Snapshot reports", "/discovery/snapshots", .readDiscovery),
        ("datasources", "Data sources", "/datasources", .readDiscovery),
        ("settings", "Settings", "/settings", .readDiscovery),
        ("admins", "Admins", "/admins", .manageAdmins),
        ("governance", "Governance log", "/governance", .readGovernance),
        ("audit", "Audit log", "/audit", .readAudit),
    ]

    package init() throws {
        guard let directory = Bundle.module.url(forResource: "portal", withExtension: nil) else {
            throw PortalError(.internalServerError, "the portal templates are missing from the installation")
        }
        var library = MustacheLibrary()
        var assets: [String: (String, String)] = [:]
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        for file in files.sorted() {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            if file.hasSuffix(".mustache") {
                try library.register(text, named: String(file.dropLast(".mustache".count)))
            } else if file.hasSuffix(".css") {
                assets[file] = ("text/css; charset=utf-8", text)
            } else if file.hasSuffix(".js") {
                assets[file] = ("text/javascript; charset=utf-8", text)
            } else if file.hasSuffix(".svg") {
                assets[file] = ("image/svg+xml", text)
            }
        }
        self.library = library
        self.assets = assets
    }

    struct NavItem {
        var title: String
        var path: String
        var current: Bool
    }

    /// What every page gets besides its own data (`page`).
    struct Frame<Page> {
        var title: String
        var admin: String
        var role: String
        var csrf: String
        var nav: [NavItem]
        var notice: String?
        /// Seconds after which the browser reloads the page (a report being built); nil: never.
        var refresh: Int?
        var page: Page
    }

    /// A page for the signed-in admin of `context`.
    func page(
        _ template: String,
        title: String,
        section: String,
        context: CanopyRequestContext,
        notice: String? = nil,
        refresh: Int? = nil,
        _ page: some Any
    ) throws -> Response {
        let role = context.principal?.role
        let nav = Self.navigation.filter { role?.allows($0.permission) == true }.map {
            NavItem(title: $0.title, path: $0.path, current: $0.id == section)
        }
        let frame = Frame(
            title: title,
            admin: context.principal?.name ?? "",
            role: role?.title ?? "",
            csrf: context.session?.csrfToken ?? "",
            nav: nav,
            notice: notice,
            refresh: refresh,
            page: page
        )
        return try html(template, frame)
    }

    /// A template rendered with `object`, as an HTML response.
    func html(_ template: String, _ object: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let text = library.render(object, withTemplate: template) else {
            throw PortalError(.internalServerError, "the page template \(template) is missing")
        }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    /// A file of `Resources/portal` (styles, scripts), for `/static/NAME`.
    func asset(_ name: String) -> Response? {
        guard let asset = assets[name] else { return nil }
        return Response(
            status: .ok,
            headers: [.contentType: asset.contentType, .cacheControl: "public, max-age=3600"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: asset.body))
        )
    }
}

extension Role {
    /// The role as the portal shows it.
    var title: String {
        switch self {
        case .globalAdmin: "Global admin"
        case .securityAdmin: "Security admin"
        case .securityOperator: "Security operator"
        case .securityReader: "Security reader"
        case .complianceAdmin: "Compliance admin"
        case .appAdmin: "App admin"
        }
    }
}
