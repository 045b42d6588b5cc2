import CanopyCore
import CanopyStore
import Foundation
import Hummingbird
import Logging

/// Admin access limited to the organization's networks: when ranges are set (``key`` in the store, one CIDR a line),
/// the API and the portal — sign-in page included — answer 403 to any other client address. `/healthz`, `/metrics`
/// and `/static/` stay open for load balancers and scrapers.
enum AdminAccess {
    static let key = "access.admin_ranges"

    /// The stored ranges (empty: no restriction).
    static func ranges(in store: any Store) async throws -> [IPRange] {
        guard let text = try await store.setting(key) else { return [] }
        return text.split(whereSeparator: \.isNewline).compactMap { IPRange(String($0)) }
    }

    /// Parses what an admin sent; the error names the first entry that is not a CIDR block.
    static func parse(_ entries: [String]) throws -> [IPRange] {
        try entries.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { entry in
            guard let range = IPRange(entry) else {
                throw APIError.badRequest("\(entry) is not an address or a CIDR block such as 10.0.0.0/8")
            }
            return range
        }
    }

    /// Checks and stores new ranges (at most 500; never ones that exclude the admin making the change), audited.
    static func set(
        _ entries: [String],
        in store: any Store,
        by actor: String,
        from address: String?,
        now: Int64
    ) async throws -> [IPRange] {
        let ranges = try parse(entries)
        guard ranges.count <= 500 else { throw APIError.badRequest("at most 500 ranges") }
        guard allows(address, ranges) else {
            throw APIError(
                .conflict,
                "conflict",
                "these ranges do not include your address (\(address ?? "unknown")): you would lock yourself out"
            )
        }
        let text = ranges.map(\.description).joined(separator: "\n")
        try await store.setSetting(key, to: text.isEmpty ? nil : text)
        try await store.appendAudit(
            AuditEntry(
                time: now,
                actor: actor,
                action: "settings.admin_access",
                target: "admin access",
                detail: ranges.isEmpty ? "from anywhere" : ranges.map(\.description).joined(separator: ", "),
                sourceIP: address
            )
        )
        return ranges
    }

    static func allows(_ address: String?, _ ranges: [IPRange]) -> Bool {
        guard !ranges.isEmpty else { return true }
        guard let address, let ip = IPAddress(address) else { return false }
        return ranges.contains { $0.contains(ip) }
    }
}

/// Refuses requests from outside the admin ranges (see ``AdminAccess``).
struct AdminAccessRestriction: RouterMiddleware {
    typealias Context = CanopyRequestContext

    let store: any Store

    static let open: [String] = ["/healthz", "/metrics", "/static/"]

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        if Self.open.contains(where: { path == $0 || ($0.hasSuffix("/") && path.hasPrefix($0)) }) {
            return try await next(request, context)
        }
        let ranges = try await AdminAccess.ranges(in: store)
        guard AdminAccess.allows(context.clientAddress, ranges) else {
            context.logger.warning("request from outside the admin ranges refused", metadata: ["path": "\(path)"])
            if path.hasPrefix("/api/") {
                throw APIError(.forbidden, "forbidden", "admin access is not allowed from this address")
            }
            throw PortalError(.forbidden, "Admin access is not allowed from this address.")
        }
        return try await next(request, context)
    }
}

/// `GET`/`PUT /api/v1/settings/admin-access`: the ranges admins may connect from.
enum AdminAccessRoutes {
    static let permissions: [String: Permission] = [
        "GET /api/v1/settings/admin-access": .manageAdmins,
        "PUT /api/v1/settings/admin-access": .manageAdmins,
    ]

    struct Body: Codable {
        /// CIDR blocks or single addresses; empty: admins may connect from anywhere.
        var ranges: [String]
    }

    static func add(
        to api: RouterGroup<CanopyRequestContext>,
        store: any Store,
        clock: @escaping @Sendable () -> Int64
    ) {
        api.get("/settings/admin-access") { _, context -> Response in
            _ = try context.require(.manageAdmins)
            return try Response.json(Body(ranges: try await AdminAccess.ranges(in: store).map(\.description)))
        }
        api.put("/settings/admin-access") { request, context -> Response in
            let principal = try context.require(.manageAdmins)
            let body: Body
            do {
                body = try await request.decode(as: Body.self, context: context)
            } catch {
                throw APIError.badRequest(#"the body must be {"ranges": ["10.0.0.0/8", …]}"#)
            }
            let ranges = try await AdminAccess.set(
                body.ranges,
                in: store,
                by: principal.name,
                from: context.clientAddress,
                now: clock()
            )
            return try Response.json(Body(ranges: ranges.map(\.description)))
        }
    }
}
