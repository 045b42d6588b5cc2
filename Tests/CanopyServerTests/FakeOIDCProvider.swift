import Crypto
import CryptoExtras
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// A local OpenID Connect provider for the tests, following OpenID Connect Core 1.0 and RFC 7636 as a real one does:
/// discovery document, `/authorize` (code flow; checks client, redirect URI, `openid` scope and an S256 challenge),
/// `/token` (client_secret_basic, one-use codes bound to their redirect URI and PKCE verifier, RFC 6749 §5.2 errors)
/// and `/jwks`. ID tokens are RS256 under a real 2048-bit key; the test decides who signs in and can make the
/// provider misbehave (another key, another audience, an expired token, no MFA).
final class FakeOIDCProvider: Sendable {
    struct User: Sendable {
        var subject: String
        var email: String
        var methods: [String]
    }

    /// Ways to misbehave, for the refusal tests.
    struct Faults: Sendable {
        var otherKey = false
        var audience: String?
        var expired = false
        var nonce: String?
        var refuse = false
    }

    let clientID = "canopy-portal"
    let clientSecret = "s3cret/with:odd&chars"
    let redirectURI = "http://127.0.0.1/login/oidc/callback"
    private let key: _RSA.Signing.PrivateKey
    private let otherKey: _RSA.Signing.PrivateKey
    private let state = Mutex(State())

    private struct Grant {
        var nonce: String
        var challenge: String
        var user: User
    }

    private struct State {
        var issuer = ""
        var user = User(subject: "00u1", email: "alice@corp.example", methods: ["pwd", "mfa"])
        var faults = Faults()
        var grants: [String: Grant] = [:]
        var tokenRequests = 0
    }

    init() throws {
        key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        otherKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
    }

    var issuer: String {
        get { state.withLock { $0.issuer } }
        set { state.withLock { $0.issuer = newValue } }
    }

    func signIn(_ user: User, faults: Faults = Faults()) {
        state.withLock {
            $0.user = user
            $0.faults = faults
        }
    }

    var tokenRequests: Int { state.withLock { $0.tokenRequests } }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/.well-known/openid-configuration") { _, _ -> Response in
            let issuer = self.issuer
            return Self.json([
                "issuer": issuer, "authorization_endpoint": issuer + "/authorize", "token_endpoint": issuer + "/token",
                "jwks_uri": issuer + "/jwks", "response_types_supported": ["code"],
                "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            ])
        }
        router.get("/authorize") { request, _ -> Response in
            let q = request.uri.queryParameters
            guard q["response_type"] == "code", q["client_id"].map(String.init) == self.clientID,
                q["redirect_uri"].map(String.init) == self.redirectURI,
                q["scope"]?.split(separator: " ").contains("openid") == true, q["code_challenge_method"] == "S256",
                let challenge = q["code_challenge"].map(String.init), let nonce = q["nonce"].map(String.init),
                let state = q["state"].map(String.init)
            else { return Response(status: .badRequest) }
            var target = URLComponents(string: self.redirectURI)!
            let refused = self.state.withLock { $0.faults.refuse }
            if refused {
                target.queryItems = [.init(name: "error", value: "access_denied"), .init(name: "state", value: state)]
            } else {
                let code = UUID().uuidString
                self.state.withLock { $0.grants[code] = Grant(nonce: nonce, challenge: challenge, user: $0.user) }
                target.queryItems = [.init(name: "code", value: code), .init(name: "state", value: state)]
            }
            return Response(status: .found, headers: [.location: target.string!])
        }
        router.post("/token") { request, _ -> Response in
            self.state.withLock { $0.tokenRequests += 1 }
            let expected =
                "Basic "
                + Data("\(Self.form(self.clientID)):\(Self.form(self.clientSecret))".utf8)
                .base64EncodedString()
            guard request.headers[.authorization] == expected else {
                return Self.json(["error": "invalid_client"], status: .unauthorized)
            }
            let body = try await request.body.collect(upTo: 1 << 16)
            var form: [String: String] = [:]
            for pair in String(buffer: body).split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
                if kv.count == 2 { form[kv[0]] = kv[1] }
            }
            let grant = self.state.withLock { $0.grants.removeValue(forKey: form["code"] ?? "") }
            guard form["grant_type"] == "authorization_code", let grant, form["redirect_uri"] == self.redirectURI,
                let verifier = form["code_verifier"],
                Self.b64(Data(SHA256.hash(data: Data(verifier.utf8)))) == grant.challenge
            else { return Self.json(["error": "invalid_grant"], status: .badRequest) }
            let token = try self.idToken(for: grant)
            return Self.json([
                "access_token": UUID().uuidString, "token_type": "Bearer", "expires_in": 3600, "id_token": token,
            ])
        }
        router.get("/jwks") { _, _ -> Response in
            let p = try self.key.publicKey.getKeyPrimitives()
            return Self.json([
                "keys": [
                    [
                        "kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256", "n": Self.b64(p.modulus),
                        "e": Self.b64(p.publicExponent),
                    ]
                ]
            ])
        }
        return router
    }

    private func idToken(for grant: Grant) throws -> String {
        let (issuer, faults) = state.withLock { ($0.issuer, $0.faults) }
        let now = Int(Date().timeIntervalSince1970)
        let claims: [String: Any] = [
            "iss": issuer, "sub": grant.user.subject, "aud": faults.audience ?? clientID,
            "exp": faults.expired ? now - 600 : now + 300, "iat": faults.expired ? now - 900 : now,
            "nonce": faults.nonce ?? grant.nonce, "email": grant.user.email, "email_verified": true,
            "amr": grant.user.methods,
        ]
        let header = Self.b64(try JSONSerialization.data(withJSONObject: ["alg": "RS256", "kid": "k1", "typ": "JWT"]))
        let payload = Self.b64(try JSONSerialization.data(withJSONObject: claims))
        let input = Data("\(header).\(payload)".utf8)
        let signer = faults.otherKey ? otherKey : key
        let signature = try signer.signature(for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5)
        return "\(header).\(payload).\(Self.b64(signature.rawRepresentation))"
    }

    static func b64(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func form(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    static func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
