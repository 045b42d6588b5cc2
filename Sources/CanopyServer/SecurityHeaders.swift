import HTTPTypes
package import Hummingbird

/// Security headers on every response: no framing, no MIME sniffing, no referrer to other sites, a strict CSP without
/// `unsafe-inline` (the portal will serve its own styles and scripts from the binary), and no caching of API data.
package struct SecurityHeaders<Context: RequestContext>: RouterMiddleware {
    package init() {}

    static var headers: HTTPFields {
        [
            .contentSecurityPolicy:
                "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                + "frame-ancestors 'none'",
            .xContentTypeOptions: "nosniff",
            .canopyFrameOptions: "DENY",
            // `same-origin`, not `no-referrer`: under `no-referrer` browsers send `Origin: null` with form posts, which
            // the portal's CSRF check must refuse; `same-origin` still sends nothing to other sites.
            .canopyReferrerPolicy: "same-origin",
            .canopyOpenerPolicy: "same-origin",
        ]
    }

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // Errors get the headers too.
            response = try error.response(from: request, context: context)
        }
        for field in Self.headers where response.headers[field.name] == nil { response.headers.append(field) }
        return response
    }
}

extension HTTPField.Name {
    /// Header names HTTPTypes does not predefine (valid tokens, so the initializer cannot fail).
    static let canopyFrameOptions = named("X-Frame-Options")
    static let canopyReferrerPolicy = named("Referrer-Policy")
    static let canopyOpenerPolicy = named("Cross-Origin-Opener-Policy")

    static func named(_ name: String) -> HTTPField.Name {
        guard let field = HTTPField.Name(name) else { preconditionFailure("\(name) is a valid header name") }
        return field
    }
}
