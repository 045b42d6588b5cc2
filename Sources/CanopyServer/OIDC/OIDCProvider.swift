import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The identity provider as Canopy talks to it: its discovery document and key set (cached; the keys fetched again
/// when a token names an unknown key), and the token endpoint. Every call has a 10-second deadline and a 1 MiB limit.
actor OIDCProvider {
    struct Metadata: Sendable {
        var issuer: String
        var authorizationEndpoint: URL
        var tokenEndpoint: URL
        var jwksURI: URL
    }

    let configuration: OIDCConfiguration
    private let client: HTTPClient
    private var metadata: (value: Metadata, fetchedAt: ContinuousClock.Instant)?
    private var keys: (value: JSONWebKeySet, fetchedAt: ContinuousClock.Instant)?

    init(configuration: OIDCConfiguration, client: HTTPClient = .shared) {
        self.configuration = configuration
        self.client = client
    }

    /// The discovery document, read again after an hour.
    func discover() async throws(OIDCError) -> Metadata {
        if let metadata, ContinuousClock.now - metadata.fetchedAt < .seconds(3_600) { return metadata.value }
        var base = configuration.issuer.absoluteString
        if base.hasSuffix("/") { base.removeLast() }
        let object = try json(try await get(base + "/.well-known/openid-configuration"))
        guard let issuer = object["issuer"] as? String, issuer == base || issuer == configuration.issuer.absoluteString,
            let authorization = (object["authorization_endpoint"] as? String).flatMap(URL.init(string:)),
            let token = (object["token_endpoint"] as? String).flatMap(URL.init(string:)),
            let jwks = (object["jwks_uri"] as? String).flatMap(URL.init(string:)),
            [authorization, token, jwks].allSatisfy(OIDCConfiguration.isAllowed)
        else { throw OIDCError("the provider's discovery document is not valid for this issuer") }
        let value = Metadata(issuer: issuer, authorizationEndpoint: authorization, tokenEndpoint: token, jwksURI: jwks)
        metadata = (value, .now)
        return value
    }

    /// The key set, fetched again when older than an hour or when it lacks the key `kid` (at most once a minute).
    func keySet(for kid: String?) async throws(OIDCError) -> JSONWebKeySet {
        if let keys, keys.value.has(kid: kid), ContinuousClock.now - keys.fetchedAt < .seconds(3_600) {
            return keys.value
        }
        if let keys, ContinuousClock.now - keys.fetchedAt < .seconds(60) { return keys.value }
        let set = try JSONWebKeySet(try await get(try await discover().jwksURI.absoluteString))
        keys = (set, .now)
        return set
    }

    /// Exchanges an authorization code (with its PKCE verifier) for the ID token.
    func exchange(code: String, verifier: String) async throws(OIDCError) -> String {
        let endpoint = try await discover().tokenEndpoint
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .POST
        let credentials = Data(
            "\(Self.formEncode(configuration.clientID)):\(Self.formEncode(configuration.clientSecret))".utf8
        )
        request.headers.add(name: "Authorization", value: "Basic " + credentials.base64EncodedString())
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let form = [
            ("grant_type", "authorization_code"), ("code", code),
            ("redirect_uri", configuration.redirectURI.absoluteString),
            ("code_verifier", verifier), ("client_id", configuration.clientID),
        ].map { "\($0)=\(Self.formEncode($1))" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: form))
        let (status, body) = try await send(request)
        let object = try json(body)
        guard status == .ok, let token = object["id_token"] as? String else {
            let error = (object["error"] as? String).map { " (\($0.prefix(80)))" } ?? ""
            throw OIDCError("the provider refused the sign-in code: HTTP \(status.code)\(error)")
        }
        return token
    }

    private func get(_ url: String) async throws(OIDCError) -> Data {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let (status, body) = try await send(request)
        guard status == .ok else { throw OIDCError("the provider answered HTTP \(status.code) for \(url)") }
        return body
    }

    private func send(_ request: HTTPClientRequest) async throws(OIDCError) -> (HTTPResponseStatus, Data) {
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (response.status, Data(body.readableBytesView))
        } catch {
            throw OIDCError("the provider cannot be reached: \(request.url)")
        }
    }

    private func json(_ data: Data) throws(OIDCError) -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw OIDCError("the provider's answer is not JSON")
        }
        return object
    }

    /// `application/x-www-form-urlencoded` value encoding (RFC 6749 appendix B, also for Basic credentials).
    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
