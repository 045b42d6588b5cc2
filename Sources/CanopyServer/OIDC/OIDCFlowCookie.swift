import Crypto
import Foundation

/// What the browser carries between the redirect to the provider and the callback — state, nonce, PKCE verifier,
/// where to go after sign-in, and an expiry — sealed with AES-GCM under a key derived from the master key, so any
/// node can open it and nobody can read or forge it.
struct OIDCFlowCookie: Codable, Equatable {
    static let name = "canopy_oidc"
    /// Ten minutes to sign in at the provider.
    static let lifetime: Int64 = 600_000

    var state: String
    var nonce: String
    var verifier: String
    var next: String
    var expiresAt: Int64

    func seal(with key: SymmetricKey) throws -> String {
        let sealed = try AES.GCM.seal(try JSONEncoder().encode(self), using: key)
        guard let combined = sealed.combined else { throw OIDCError("cannot seal the sign-in state") }
        return Base64URL.encode(combined)
    }

    /// The flow in `text`, or nil when it is not one this server sealed.
    static func open(_ text: String, with key: SymmetricKey) -> OIDCFlowCookie? {
        guard text.count < 4_096, let data = Base64URL.decode(text), let box = try? AES.GCM.SealedBox(combined: data),
            let plain = try? AES.GCM.open(box, using: key)
        else { return nil }
        return try? JSONDecoder().decode(OIDCFlowCookie.self, from: plain)
    }

    /// The cookie key: HKDF-SHA256 of the master key for this one use.
    static func key(master: SymmetricKey) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master,
            info: Data("canopy oidc flow cookie v1".utf8),
            outputByteCount: 32
        )
    }

    /// The PKCE S256 challenge of a verifier (RFC 7636 §4.2).
    static func challenge(_ verifier: String) -> String {
        Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8))))
    }
}
