package import CanopyStore
import Crypto
import Foundation
package import Hummingbird

/// API bearer tokens: `cnp_` and 40 base32 characters (200 random bits); the store keeps only their SHA-256.
package enum APITokens {
    /// A new token secret.
    package static func generate() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var generator = SystemRandomNumberGenerator()
        return "cnp_" + String((0..<40).map { _ in alphabet[Int(generator.next(upperBound: UInt64(32)))] })
    }

    /// The stored form of a secret: lowercase hex SHA-256.
    package static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Accepts `Authorization: Bearer <token>` on the API routes: a known, unrevoked, unexpired token sets the request's
/// ``Principal``; anything else is answered 401 with the API error body (which never says which check failed). A
/// token over its rate (``RateLimiter``) is answered 429 with `Retry-After`.
package struct TokenAuthenticator: RouterMiddleware {
    package typealias Context = CanopyRequestContext

    let store: any Store
    let clock: @Sendable () -> Int64
    let limiter: RateLimiter

    package init(store: any Store, clock: @escaping @Sendable () -> Int64, limiter: RateLimiter) {
        self.store = store
        self.clock = clock
        self.limiter = limiter
    }

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7,
            header.prefix(7).lowercased() == "bearer "
        else { throw APIError.unauthorized("a bearer token is required") }
        let secret = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard secret.hasPrefix("cnp_"), secret.count == 44,
            let token = try await store.token(hash: APITokens.hash(secret)),
            !token.revoked, token.expiresAt > clock(), let role = Role(rawValue: token.role)
        else { throw APIError.unauthorized("the token is not valid") }
        if let wait = limiter.take(token.id, now: Double(clock()) / 1_000) {
            var error = APIError(.tooManyRequests, "rate-limited", "too many requests: retry in \(wait) s")
            error.extraHeaders = [.retryAfter: String(wait)]
            throw error
        }
        var context = context
        // Tokens carry no app scope: an app-admin token (tokens are refused that role) would see no app.
        context.principal = Principal(
            name: token.name,
            role: role,
            tokenID: token.id,
            apps: role == .appAdmin ? [] : nil
        )
        return try await next(request, context)
    }
}
