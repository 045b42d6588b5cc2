import CanopyStore
import Foundation
import HTTPTypes
import Hummingbird

/// Guards the portal pages: a valid session cookie sets the request's ``Principal`` and CSRF token; a browser
/// without one is sent to the sign-in page (GET) or refused (anything else). Every state-changing request must
/// carry the session's CSRF token — in the `_csrf` field of a form, or the `X-CSRF-Token` header of a script's
/// request — and must not come from another site (`Origin` / `Sec-Fetch-Site`).
struct SessionAuthenticator: RouterMiddleware {
    typealias Context = CanopyRequestContext

    let store: any Store
    let clock: @Sendable () -> Int64
    let policy: SessionPolicy

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let now = clock()
        guard let secret = request.cookies[PortalCookies.session]?.value, !secret.isEmpty,
            let session = try await store.session(idHash: APITokens.hash(secret)),
            session.expiresAt > now, session.lastSeen + policy.idle > now,
            let admin = try await store.admin(named: session.admin), let role = Role(rawValue: admin.role)
        else { return try Self.signInFirst(request) }
        var request = request
        var context = context
        context.principal = Principal(
            name: admin.name,
            role: role,
            tokenID: nil,
            apps: role == .appAdmin ? Set(try await store.adminApps(named: admin.name)) : nil
        )
        context.session = (session.idHash, session.csrfToken)
        if request.method != .get && request.method != .head {
            try await Self.checkCSRF(&request, expected: session.csrfToken)
        }
        if admin.mustChangePassword, request.uri.path != "/password", request.uri.path != "/logout" {
            return Response.redirect(to: "/password", type: .normal)
        }
        // One write a minute at most per session keeps the idle clock without a write per request.
        if now - session.lastSeen > 60_000 { try await store.touchSession(idHash: session.idHash, lastSeen: now) }
        return try await next(request, context)
    }

    /// The sign-in page for a page request; 401 for anything else.
    static func signInFirst(_ request: Request) throws -> Response {
        guard request.method == .get || request.method == .head else {
            throw PortalError(.unauthorized, "Your session ended. Sign in again.")
        }
        let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        let next =
            target == "/" ? "" : "?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        return Response.redirect(to: "/login" + next, type: .normal)
    }

    /// Refuses cross-site requests and requests without the right CSRF token. A urlencoded form's body is read
    /// (up to ``PortalForm/maximumSize``) and left in the request for the handler.
    static func checkCSRF(_ request: inout Request, expected: String) async throws {
        if request.headers[.canopySecFetchSite] == "cross-site" { throw PortalError.csrf }
        if let origin = request.headers[.origin], let host = request.head.authority,
            origin != "http://" + host, origin != "https://" + host
        {
            throw PortalError.csrf
        }
        if let header = request.headers[.canopyCSRFToken] {
            guard PortalSecrets.equal(header, expected) else { throw PortalError.csrf }
            return
        }
        // A multipart upload form carries its token as its first field; the upload checks it before it writes.
        if request.headers[.contentType]?.hasPrefix("multipart/form-data") == true,
            PortalSnapshotRoutes.multipartPaths.contains(request.uri.path)
        {
            return
        }
        guard request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true else {
            throw PortalError.csrf
        }
        let buffer = try await request.collectBody(upTo: PortalForm.maximumSize)
        let form = PortalForm(String(decoding: buffer.readableBytesView, as: UTF8.self))
        guard let token = form["_csrf"], PortalSecrets.equal(token, expected) else { throw PortalError.csrf }
    }
}

/// The portal's cookies: `canopy_session` (the session secret) and `canopy_login` (the sign-in form's CSRF token,
/// before there is a session). Always HttpOnly, SameSite=Strict, Path=/ and Secure — browsers accept Secure cookies
/// from `http://localhost`/`127.0.0.1`, and everywhere else the portal belongs behind TLS.
enum PortalCookies {
    static let session = "canopy_session"
    static let login = "canopy_login"

    static func make(_ name: String, _ value: String, maxAge: Int?) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: true, httpOnly: true, sameSite: .strict)
    }

    static func clear(_ name: String) -> Cookie { make(name, "", maxAge: 0) }
}

extension HTTPField.Name {
    static let canopyCSRFToken = named("X-CSRF-Token")
    static let canopySecFetchSite = named("Sec-Fetch-Site")
}
