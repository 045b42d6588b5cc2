import CanopyStore
import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt

/// Sign-in, sign-out and the password change: `/login`, `/logout`, `/password`.
///
/// Sign-in is rate-limited (``LoginThrottle``), answers the same way whether the name or the password was wrong
/// (and takes the same bcrypt time), rotates the session secret on every sign-in, and is audited, as are failures.
/// The sign-in form's CSRF token is a double-submit cookie (there is no session yet); everything after sign-in uses
/// the session's token.
struct PortalAuthRoutes {
    let store: any Store
    let renderer: PortalRenderer
    let clock: @Sendable () -> Int64
    let throttle: LoginThrottle
    let policy: SessionPolicy
    /// The identity provider's name when OpenID Connect sign-in is configured (the sign-in page offers it).
    var oidcName: String? = nil

    /// A bcrypt hash nobody's password matches, checked when the name is unknown so that timing does not tell.
    static let decoyHash = Bcrypt.hash("canopy-decoy-\(PortalSecrets.generate())", cost: FirstAdmin.bcryptCost)

    struct LoginPage {
        var csrf: String
        var next: String
        var name: String
        var error: String?
        var oidc: OIDCLink? = nil
    }

    struct OIDCLink {
        var name: String
        var href: String
    }

    struct PasswordPage {
        var error: String?
        var mustChange: Bool
    }

    func add(public router: Router<CanopyRequestContext>, signedIn group: RouterGroup<CanopyRequestContext>) {
        router.get("/login") { request, _ -> Response in
            let token = PortalSecrets.generate()
            var response = try renderer.html(
                "login",
                LoginPage(
                    csrf: token,
                    next: Self.safeNext(request.uri.queryParameters["next"].map(String.init)),
                    name: "",
                    oidc: oidcName.map {
                        let next = Self.safeNext(request.uri.queryParameters["next"].map(String.init))
                        return OIDCLink(name: $0, href: "/login/oidc?next=" + OIDCProvider.formEncode(next))
                    }
                )
            )
            response.setCookie(PortalCookies.make(PortalCookies.login, token, maxAge: 3_600))
            return response
        }
        router.post("/login") { request, context -> Response in
            var request = request
            let form = try await PortalForm.read(&request)
            guard let cookie = request.cookies[PortalCookies.login]?.value, let field = form["_csrf"],
                PortalSecrets.equal(cookie, field), request.headers[.canopySecFetchSite] != "cross-site"
            else { throw PortalError.csrf }
            return try await signIn(form, csrf: cookie, context: context)
        }
        group.post("/logout") { _, context -> Response in
            if let session = context.session {
                try await store.deleteSession(idHash: session.idHash)
                try await audit("admin.logout", context, detail: "signed out")
            }
            var response = Response.redirect(to: "/login", type: .normal)
            response.setCookie(PortalCookies.clear(PortalCookies.session))
            return response
        }
        group.get("/password") { _, context -> Response in
            let admin = try await store.admin(named: context.principal?.name ?? "")
            return try renderer.page(
                "password",
                title: "Change password",
                section: "",
                context: context,
                PasswordPage(error: nil, mustChange: admin?.mustChangePassword ?? false)
            )
        }
        group.post("/password") { request, context -> Response in
            var request = request
            let form = try await PortalForm.read(&request)
            return try await changePassword(form, context: context)
        }
    }

    private func signIn(_ form: PortalForm, csrf: String, context: CanopyRequestContext) async throws -> Response {
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = form["password"] ?? ""
        let next = Self.safeNext(form["next"])
        let now = clock()
        if let wait = throttle.retryAfter(user: name, address: context.clientAddress, now: Double(now) / 1_000) {
            var response = try renderer.html(
                "login",
                LoginPage(
                    csrf: csrf,
                    next: next,
                    name: name,
                    error: "Too many failed sign-ins. Try again in \(wait / 60 + 1) minutes."
                ),
                status: .tooManyRequests
            )
            response.headers[.retryAfter] = String(wait)
            return response
        }
        let account = name.isEmpty ? nil : try await store.admin(named: name)
        let valid = await Self.verify(password, hash: account?.passwordHash ?? Self.decoyHash) && account != nil
        guard let account, valid, Role(rawValue: account.role) != nil else {
            throttle.recordFailure(user: name, address: context.clientAddress, now: Double(now) / 1_000)
            try await store.appendAudit(
                AuditEntry(
                    time: now,
                    actor: String(name.prefix(100)),
                    action: "admin.login.failed",
                    target: String(name.prefix(100)),
                    detail: "wrong name or password",
                    sourceIP: context.clientAddress
                )
            )
            return try renderer.html(
                "login",
                LoginPage(csrf: csrf, next: next, name: name, error: "The name or the password is not right."),
                status: .unauthorized
            )
        }
        throttle.recordSuccess(user: name)
        var response = Response.redirect(to: account.mustChangePassword ? "/password" : next, type: .normal)
        try await startSession(for: account.name, context: context, response: &response)
        response.setCookie(PortalCookies.clear(PortalCookies.login))
        try await store.appendAudit(
            AuditEntry(
                time: now,
                actor: account.name,
                action: "admin.login",
                target: account.name,
                detail: "signed in",
                sourceIP: context.clientAddress
            )
        )
        return response
    }

    func startSession(for admin: String, context: CanopyRequestContext, response: inout Response) async throws {
        let now = clock()
        let secret = PortalSecrets.generate()
        try await store.createSession(
            AdminSession(
                idHash: APITokens.hash(secret),
                admin: admin,
                csrfToken: PortalSecrets.generate(),
                createdAt: now,
                lastSeen: now,
                expiresAt: now + policy.absolute,
                sourceIP: context.clientAddress
            )
        )
        response.setCookie(PortalCookies.make(PortalCookies.session, secret, maxAge: Int(policy.absolute / 1_000)))
    }

    private func changePassword(_ form: PortalForm, context: CanopyRequestContext) async throws -> Response {
        guard let name = context.principal?.name, var account = try await store.admin(named: name) else {
            throw PortalError(.unauthorized, "Your session ended. Sign in again.")
        }
        let current = form["current"] ?? ""
        let new = form["new"] ?? ""
        func again(_ error: String) throws -> Response {
            try renderer.page(
                "password",
                title: "Change password",
                section: "",
                context: context,
                PasswordPage(error: error, mustChange: account.mustChangePassword)
            )
        }
        guard await Self.verify(current, hash: account.passwordHash) else {
            return try again("The current password is not right.")
        }
        guard new.count >= 12 else { return try again("The new password needs at least 12 characters.") }
        guard new == form["confirm"] else { return try again("The two new passwords differ.") }
        guard new != current else { return try again("The new password must differ from the current one.") }
        account.passwordHash = await Self.hash(new)
        account.mustChangePassword = false
        try await store.updateAdmin(account)
        // Every other session of this account ends; this browser gets a fresh one.
        try await store.deleteSessions(admin: name)
        var response = Response.redirect(to: "/", type: .normal)
        try await startSession(for: name, context: context, response: &response)
        try await audit("admin.password", context, detail: "changed own password")
        return response
    }

    private func audit(_ action: String, _ context: CanopyRequestContext, detail: String) async throws {
        let name = context.principal?.name ?? ""
        try await store.appendAudit(
            AuditEntry(
                time: clock(),
                actor: name,
                action: action,
                target: name,
                detail: detail,
                sourceIP: context.clientAddress
            )
        )
    }

    /// A local path to go to after sign-in (never another site: `//host` and `/\host` are refused).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
            !next.contains(where: { $0.isNewline }), next.count < 500
        else { return "/" }
        return next
    }

    /// bcrypt off the event loop (a check takes about a quarter of a second).
    static func verify(_ password: String, hash: String) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: Bcrypt.verify(password, hash: hash)) }
        }
    }

    static func hash(_ password: String) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Bcrypt.hash(password, cost: FirstAdmin.bcryptCost))
            }
        }
    }
}
