package import CanopyCore
import Foundation
package import HTTPTypes
package import Hummingbird

/// Behind a reverse proxy (nginx, a load balancer), the socket's peer is the proxy: when it is one of the trusted
/// proxies, the client is the right-most address of `X-Forwarded-For` that is not itself a trusted proxy. The
/// header is ignored from anyone else, so a client cannot choose its own address (for the audit log, admin access
/// ranges and rate limits).
package struct ForwardedClientAddress: RouterMiddleware {
    package typealias Context = CanopyRequestContext
    let trusted: [IPRange]

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard
            let forwarded = Self.client(
                peer: context.clientAddress,
                header: request.headers[values: .xForwardedFor],
                trusted: trusted
            )
        else { return try await next(request, context) }
        var context = context
        context.clientAddress = forwarded
        return try await next(request, context)
    }

    /// The client behind trusted proxies, or nil when the peer is not trusted or names no usable address.
    package static func client(peer: String?, header values: [String], trusted: [IPRange]) -> String? {
        guard let peer, let ip = IPAddress(peer), trusted.contains(where: { $0.contains(ip) }) else { return nil }
        let hops = values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard let address = IPAddress(hop) else { return nil }  // A malformed hop: trust nothing before it.
            if !trusted.contains(where: { $0.contains(address) }) { return address.description }
        }
        return nil
    }
}

extension HTTPField.Name {
    package static let xForwardedFor = named("X-Forwarded-For")
}
