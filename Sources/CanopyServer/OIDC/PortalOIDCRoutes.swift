import CanopyStore
package import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// What the portal needs to sign admins in through OpenID Connect.
package struct PortalOIDC: Sendable {
    let provider: OIDCProvider
    let cookieKey: SymmetricKey

    package init(configuration: OIDCConfiguration, masterKey: SymmetricKey) {
        provider = OIDCProvider(configuration: configuration)
        cookieKey = OIDCFlowCookie.key(master: masterKey)
    }
}

/// `/login/oidc` and its callback: the authorization code flow with PKCE (S256), `state` and `nonce` (OpenID
/// Connect Core §3.1), the ID token's signature checked against the provider's keys. The admin named by the token's
/// claim must exist in Canopy (their role is there); with `requireMFA`, the token must say a second factor was used.
/// Every sign-in and every refusal is audited.
struct PortalOIDCRoutes {
    let oidc: PortalOIDC
    let store: any Store
    let renderer: PortalRenderer
    let auth: PortalAuthRoutes
    let clock: @Sendable () -> Int64

    struct DonePage {
        var next: String
    }

    func add(to router: Router<CanopyRequestContext>) {
        router.get("/login/oidc") { request, _ in try await start(request) }
        router.get("/login/oidc/callback") { request, context in try await callback(request, context) }
    }

    private var configuration: OIDCConfiguration { oidc.provider.configuration }

    private func start(_ request: Request) async throws -> Response {
        let metadata: OIDCProvider.Metadata
        do {
            metadata = try await oidc.provider.discover()
        } catch {
            throw PortalError(.badGateway, "The identity provider cannot be reached. Sign in with a password instead.")
        }
        let flow = OIDCFlowCookie(
            state: PortalSecrets.generate(),
            nonce: PortalSecrets.generate(),
            verifier: PortalSecrets.generate() + PortalSecrets.generate(),
            next: PortalAuthRoutes.safeNext(request.uri.queryParameters["next"].map(String.init)),
            expiresAt: clock() + OIDCFlowCookie.lifetime
        )
        guard var url = URLComponents(url: metadata.authorizationEndpoint, resolvingAgainstBaseURL: false) else {
            throw PortalError(.badGateway, "The identity provider's sign-in address is not valid.")
        }
        url.queryItems =
            (url.queryItems ?? []) + [
                URLQueryItem(name: "response_type", value: "code"),
                URLQueryItem(name: "client_id", value: configuration.clientID),
                URLQueryItem(name: "redirect_uri", value: configuration.redirectURI.absoluteString),
                URLQueryItem(name: "scope", value: "openid email profile"),
                URLQueryItem(name: "state", value: flow.state),
                URLQueryItem(name: "nonce", value: flow.nonce),
                URLQueryItem(name: "code_challenge", value: OIDCFlowCookie.challenge(flow.verifier)),
                URLQueryItem(name: "code_challenge_method", value: "S256"),
            ]
        guard let target = url.string else { throw PortalError(.badGateway, "Cannot build the sign-in address.") }
        var response = Response.redirect(to: target, type: .found)
        response.setCookie(Self.flowCookie(try flow.seal(with: oidc.cookieKey), maxAge: 600))
        return response
    }

    /// The flow cookie is `SameSite=Lax`: the provider's redirect back is a cross-site top-level GET, which a
    /// `Strict` cookie would not come with. It holds no authority by itself (only this server can open it, and it
    /// is checked against `state`).
    static func flowCookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: OIDCFlowCookie.name,
            value: value,
            maxAge: maxAge,
            path: "/login/oidc",
            secure: true,
            httpOnly: true,
            sameSite: .lax
        )
    }

    private func callback(_ request: Request, _ context: CanopyRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        guard let sealed = request.cookies[OIDCFlowCookie.name]?.value,
            let flow = OIDCFlowCookie.open(sealed, with: oidc.cookieKey), flow.expiresAt > clock()
        else {
            throw PortalError(.badRequest, "This sign-in expired or was started in another browser. Start again.")
        }
        guard let state = q["state"].map(String.init), PortalSecrets.equal(state, flow.state) else {
            try await refuse("state mismatch", name: "", context)
            throw PortalError(.badRequest, "This sign-in does not match the one started here. Start again.")
        }
        if let error = q["error"].map(String.init) {
            try await refuse("the provider refused: \(error.prefix(80))", name: "", context)
            throw PortalError(.unauthorized, "The identity provider did not sign you in (\(error.prefix(80))).")
        }
        guard let code = q["code"].map(String.init), !code.isEmpty, code.count < 4_096 else {
            throw PortalError(.badRequest, "The identity provider sent no sign-in code.")
        }
        let identity: IDTokenValidation.Identity
        do {
            let metadata = try await oidc.provider.discover()
            let token = try JSONWebToken(try await oidc.provider.exchange(code: code, verifier: flow.verifier))
            let keys = try await oidc.provider.keySet(for: token.header["kid"] as? String)
            guard keys.verifies(token) else { throw OIDCError("the ID token's signature is not the provider's") }
            identity = try IDTokenValidation.check(
                token,
                configuration: configuration,
                issuer: metadata.issuer,
                nonce: flow.nonce,
                now: clock()
            )
        } catch let error as OIDCError {
            try await refuse(error.reason, name: "", context)
            throw PortalError(.unauthorized, "The sign-in could not be verified: \(error.reason).")
        }
        if configuration.requireMFA, !identity.usedMFA {
            try await refuse("no second factor in the ID token", name: identity.name, context)
            throw PortalError(.forbidden, "Canopy needs a sign-in with a second factor. Sign in again with MFA.")
        }
        guard var account = try await store.admin(named: identity.name), Role(rawValue: account.role) != nil else {
            try await refuse("no Canopy admin of that name", name: identity.name, context)
            throw PortalError(
                .forbidden,
                "No Canopy admin is named \(identity.name). A global admin adds admins on the Admins page."
            )
        }
        if account.mustChangePassword {
            // An unused one-time password is a way in nobody needs: the admin signs in through the provider.
            account.passwordHash = await PortalAuthRoutes.hash(PortalSecrets.generate())
            account.mustChangePassword = false
            try await store.updateAdmin(account)
        }
        var response = try renderer.html("oidc-done", DonePage(next: flow.next))
        try await auth.startSession(for: account.name, context: context, response: &response)
        response.setCookie(Self.flowCookie("", maxAge: 0))
        try await store.appendAudit(
            AuditEntry(
                time: clock(),
                actor: account.name,
                action: "admin.login",
                target: account.name,
                detail: "signed in through OpenID Connect (\(configuration.issuer.absoluteString), subject "
                    + "\(identity.subject.prefix(100)), MFA \(identity.usedMFA ? "yes" : "not stated"))",
                sourceIP: context.clientAddress
            )
        )
        return response
    }

    private func refuse(_ reason: String, name: String, _ context: CanopyRequestContext) async throws {
        try await store.appendAudit(
            AuditEntry(
                time: clock(),
                actor: String(name.prefix(100)),
                action: "admin.login.failed",
                target: String(name.prefix(100)),
                detail: "OpenID Connect: \(reason)",
                sourceIP: context.clientAddress
            )
        )
    }
}
