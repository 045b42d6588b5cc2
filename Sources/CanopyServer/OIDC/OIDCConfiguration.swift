package import Foundation

/// Admin sign-in through the organization's identity provider (OpenID Connect authorization code flow with PKCE), so
/// that its MFA and conditional access apply. Each admin still has a Canopy account (its role lives there): the
/// provider's `usernameClaim` names the account.
package struct OIDCConfiguration: Sendable, Hashable {
    /// The issuer (`https://login.example.com/tenant/v2.0`); its `/.well-known/openid-configuration` is read at
    /// sign-in. `https` only, except on loopback (tests, a local provider).
    package var issuer: URL
    package var clientID: String
    /// Sent to the token endpoint with HTTP Basic authentication (`client_secret_basic`); never stored or logged.
    package var clientSecret: String
    /// This server's callback as registered with the provider: `https://canopy.example.com/login/oidc/callback`.
    package var redirectURI: URL
    /// The ID-token claim that names the Canopy admin: `email` (default), `preferred_username`, `upn` or `sub`.
    package var usernameClaim: String
    /// Refuse sign-ins whose ID token does not say MFA was used (`amr` holding `mfa`, `otp`, `hwk`, `swk`, `sms`,
    /// `fido` or `face`…).
    package var requireMFA: Bool
    /// What the provider is called on the sign-in page.
    package var displayName: String

    package static let usernameClaims = ["email", "preferred_username", "upn", "sub"]

    package init(
        issuer: URL,
        clientID: String,
        clientSecret: String,
        redirectURI: URL,
        usernameClaim: String = "email",
        requireMFA: Bool = false,
        displayName: String = "your identity provider"
    ) throws(OIDCError) {
        guard Self.isAllowed(issuer), Self.isAllowed(redirectURI) else {
            throw OIDCError("the issuer and the redirect URI must be https (http only on loopback)")
        }
        guard !clientID.isEmpty, !clientSecret.isEmpty else { throw OIDCError("a client id and secret are needed") }
        guard Self.usernameClaims.contains(usernameClaim) else {
            throw OIDCError("the username claim is one of \(Self.usernameClaims.joined(separator: ", "))")
        }
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
        self.usernameClaim = usernameClaim
        self.requireMFA = requireMFA
        self.displayName = displayName
    }

    /// `https`, or `http` to a loopback host.
    static func isAllowed(_ url: URL) -> Bool {
        guard let scheme = url.scheme?.lowercased(), url.host?.isEmpty == false else { return false }
        if scheme == "https" { return true }
        return scheme == "http" && ["127.0.0.1", "localhost", "::1", "[::1]"].contains(url.host ?? "")
    }
}

/// Why an OpenID Connect sign-in or configuration failed: said to the admin without secrets or token contents.
package struct OIDCError: Error, Sendable, CustomStringConvertible {
    package let reason: String
    package init(_ reason: String) { self.reason = reason }
    package var description: String { reason }
}
