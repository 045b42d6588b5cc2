package import Hummingbird

/// Who made a request: an API token's name and role (``TokenAuthenticator``), or a signed-in admin's
/// (``SessionAuthenticator``).
package struct Principal: Sendable, Hashable {
    package var name: String
    package var role: Role
    /// The API token behind the request; nil for a portal session.
    package var tokenID: Int64?
    /// The apps an app admin may see and tag; nil for every other role (every app).
    package var apps: Set<String>? = nil

    /// Whether this principal may see and act on `app`.
    package func covers(_ app: String) -> Bool { apps?.contains(app) ?? true }

    /// Throws `403` when `app` is outside an app admin's apps.
    func requireScope(_ app: String) throws(APIError) {
        guard covers(app) else { throw APIError(.forbidden, "forbidden", "\(app) is not one of your apps") }
    }
}

/// The request context of Canopy's routes: Hummingbird's core context plus the authenticated principal.
package struct CanopyRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    package var principal: Principal?
    /// The client's address, for the audit log (nil in router tests, which have no socket).
    package var clientAddress: String?
    /// The portal session behind the request (nil on the API): its stored hash and its CSRF token.
    package var session: (idHash: String, csrfToken: String)?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
        clientAddress = source.channel.remoteAddress?.ipAddress
        session = nil
    }

    /// The principal, if it holds `permission`; otherwise the error to answer with.
    package func require(_ permission: Permission) throws -> Principal {
        guard let principal else { throw APIError.unauthorized("a bearer token is required") }
        guard principal.role.allows(permission) else { throw APIError.forbidden(permission) }
        return principal
    }
}
