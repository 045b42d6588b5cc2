import Foundation

/// The checks OpenID Connect Core §3.1.3.7 asks of an ID token, once its signature is verified: issuer, audience
/// (and `azp` when there are several), expiry and issue time within a minute's clock skew, and the nonce of this
/// sign-in. Returns the admin name from the configured claim, and whether MFA was used.
enum IDTokenValidation {
    /// `amr` values (RFC 8176) that mean a second factor.
    static let multiFactor: Set<String> = [
        "mfa", "otp", "hwk", "swk", "sms", "fido", "face", "fpt", "iris", "sc", "tel",
    ]

    struct Identity: Equatable {
        var name: String
        var subject: String
        var usedMFA: Bool
    }

    static func check(
        _ token: JSONWebToken,
        configuration: OIDCConfiguration,
        issuer: String,
        nonce: String,
        now: Int64
    ) throws(OIDCError) -> Identity {
        let c = token.claims
        guard c["iss"] as? String == issuer else { throw OIDCError("the ID token comes from another issuer") }
        let audiences = (c["aud"] as? String).map { [$0] } ?? (c["aud"] as? [String] ?? [])
        guard audiences.contains(configuration.clientID) else { throw OIDCError("the ID token is for another client") }
        if audiences.count > 1, c["azp"] as? String != configuration.clientID {
            throw OIDCError("the ID token is for another client")
        }
        let seconds = now / 1_000
        guard let exp = (c["exp"] as? NSNumber)?.int64Value, exp + 60 > seconds else {
            throw OIDCError("the ID token has expired")
        }
        guard let iat = (c["iat"] as? NSNumber)?.int64Value, iat - 60 <= seconds else {
            throw OIDCError("the ID token was issued in the future")
        }
        guard let sent = c["nonce"] as? String, PortalSecrets.equal(sent, nonce) else {
            throw OIDCError("the ID token is not for this sign-in (nonce)")
        }
        guard let subject = c["sub"] as? String, !subject.isEmpty else {
            throw OIDCError("the ID token names no subject")
        }
        if configuration.usernameClaim == "email", c["email_verified"] as? Bool == false {
            throw OIDCError("the provider has not verified this email address")
        }
        guard let name = c[configuration.usernameClaim] as? String, !name.isEmpty, name.count <= 200 else {
            throw OIDCError("the ID token has no \(configuration.usernameClaim) claim")
        }
        let methods = c["amr"] as? [String] ?? []
        return Identity(name: name, subject: subject, usedMFA: methods.contains { multiFactor.contains($0) })
    }
}
