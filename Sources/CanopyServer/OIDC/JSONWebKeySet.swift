import Crypto
import CryptoExtras
package import Foundation

/// The provider's signing keys (its `jwks_uri`): RSA keys for RS256 and P-256 keys for ES256. Other key types and
/// algorithms are skipped; `none` and HMAC are never accepted.
package struct JSONWebKeySet: Sendable {
    enum Key: Sendable {
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
    }

    let keys: [(id: String?, key: Key)]

    package init(_ data: Data) throws(OIDCError) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let entries = object["keys"] as? [[String: Any]]
        else { throw OIDCError("the provider's key set cannot be read") }
        var keys: [(String?, Key)] = []
        for entry in entries {
            if let use = entry["use"] as? String, use != "sig" { continue }
            let id = entry["kid"] as? String
            switch entry["kty"] as? String {
            case "RSA":
                guard let n = (entry["n"] as? String).flatMap(Base64URL.decode),
                    let e = (entry["e"] as? String).flatMap(Base64URL.decode),
                    let key = try? _RSA.Signing.PublicKey(n: n, e: e)
                else { continue }
                keys.append((id, .rsa(key)))
            case "EC":
                guard entry["crv"] as? String == "P-256",
                    let x = (entry["x"] as? String).flatMap(Base64URL.decode),
                    let y = (entry["y"] as? String).flatMap(Base64URL.decode), x.count == 32, y.count == 32,
                    let key = try? P256.Signing.PublicKey(rawRepresentation: x + y)
                else { continue }
                keys.append((id, .p256(key)))
            default:
                continue
            }
        }
        self.keys = keys
    }

    /// Whether a key of this set (the one named `kid`, else any) signed `token` with its header's algorithm.
    package func verifies(_ token: JSONWebToken) -> Bool {
        let alg = token.header["alg"] as? String
        let kid = token.header["kid"] as? String
        let candidates = keys.filter { kid == nil || $0.id == nil || $0.id == kid }
        let digest = SHA256.hash(data: token.signingInput)
        for (_, key) in candidates {
            switch (alg, key) {
            case ("RS256", .rsa(let key)):
                let signature = _RSA.Signing.RSASignature(rawRepresentation: token.signature)
                if key.isValidSignature(signature, for: digest, padding: .insecurePKCS1v1_5) { return true }
            case ("ES256", .p256(let key)):
                if let signature = try? P256.Signing.ECDSASignature(rawRepresentation: token.signature),
                    key.isValidSignature(signature, for: digest)
                {
                    return true
                }
            default:
                continue
            }
        }
        return false
    }

    /// Whether any key has this id (else the set is fetched again: the provider rotated its keys).
    func has(kid: String?) -> Bool { kid == nil || keys.contains { $0.id == kid } }
}
