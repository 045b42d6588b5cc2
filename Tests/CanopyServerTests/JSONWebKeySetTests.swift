import CanopyServer
import Crypto
import Foundation
import Testing

/// ID-token signatures: ES256 with a P-256 key as well as RS256 (the flow test), and what is never accepted — `none`,
/// HMAC, an algorithm that does not fit the key, a changed payload, garbage.
@Suite struct JSONWebKeySetTests {
    static func b64(_ data: some DataProtocol) -> String { FakeOIDCProvider.b64(Data(data)) }

    static func token(
        alg: String,
        payload: String = #"{"sub":"alice"}"#,
        sign: (Data) throws -> Data
    ) rethrows -> String {
        let head = b64(Data(#"{"alg":"\#(alg)","kid":"ec1"}"#.utf8))
        let body = b64(Data(payload.utf8))
        return "\(head).\(body).\(b64(try sign(Data("\(head).\(body)".utf8))))"
    }

    @Test func es256IsVerifiedAndNoneHMACAndMismatchesAreNot() throws {
        let key = P256.Signing.PrivateKey()
        let raw = key.publicKey.rawRepresentation
        let jwks =
            #"{"keys":[{"kty":"EC","crv":"P-256","kid":"ec1","use":"sig","x":"\#(Self.b64(raw.prefix(32)))","y":"\#(Self.b64(raw.suffix(32)))"},{"kty":"oct","k":"c2VjcmV0"}]}"#
        let set = try JSONWebKeySet(Data(jwks.utf8))
        let good = try Self.token(alg: "ES256") { try key.signature(for: SHA256.hash(data: $0)).rawRepresentation }
        #expect(set.verifies(try JSONWebToken(good)))

        let parts = good.split(separator: ".")
        let tampered = "\(parts[0]).\(Self.b64(Data(#"{"sub":"mallory"}"#.utf8))).\(parts[2])"
        #expect(!set.verifies(try JSONWebToken(tampered)))
        #expect(!set.verifies(try JSONWebToken(Self.token(alg: "none") { _ in Data() })))
        let hmac = Self.token(alg: "HS256") {
            Data(HMAC<SHA256>.authenticationCode(for: $0, using: SymmetricKey(data: Data("secret".utf8))))
        }
        #expect(!set.verifies(try JSONWebToken(hmac)))
        let mismatch = try Self.token(alg: "RS256") { try key.signature(for: SHA256.hash(data: $0)).rawRepresentation }
        #expect(!set.verifies(try JSONWebToken(mismatch)))
        let other = P256.Signing.PrivateKey()
        let foreign = try Self.token(alg: "ES256") { try other.signature(for: SHA256.hash(data: $0)).rawRepresentation }
        #expect(!set.verifies(try JSONWebToken(foreign)))

        for garbage in ["", "a.b", "a.b.c.d", "!!.??.##", "e30.e30.=", String(repeating: "a", count: 70_000)] {
            #expect(throws: OIDCError.self) { try JSONWebToken(garbage) }
        }
        #expect(throws: OIDCError.self) { try JSONWebKeySet(Data("[]".utf8)) }
    }
}
