package import CanopyStore
import Foundation
import Hummingbird

/// `/api/v1/admins` (who can sign in, with which role: list, create with a one-time password, change role, delete)
/// and `/api/v1/tokens` (API tokens: list, create — the secret
/// is shown once —, revoke). Neither ever returns a password hash or a token hash.
enum AccessRoutes {
    static let permissions: [String: Permission] = [
        "GET /api/v1/admins": .manageAdmins,
        "POST /api/v1/admins": .manageAdmins,
        "PUT /api/v1/admins/{name}": .manageAdmins,
        "DELETE /api/v1/admins/{name}": .manageAdmins,
        "GET /api/v1/tokens": .manageTokens,
        "POST /api/v1/tokens": .manageTokens,
        "DELETE /api/v1/tokens/{id}": .manageTokens,
    ]

    static func add(
        to api: RouterGroup<CanopyRequestContext>,
        store: any Store,
        clock: @escaping @Sendable () -> Int64
    ) {
        api.get("/admins") { request, context -> Response in
            _ = try context.require(.manageAdmins)
            let query = try ListQuery(request)
            let all = try await store.admins()
            let (page, next) = try query.slice(all)
            var items: [AdminItem] = []
            for account in page {
                items.append(AdminItem(account, apps: try await store.adminApps(named: account.name)))
            }
            return try query.respond(items, next: next, csvHeader: AdminItem.csvHeader) { $0.csvRow }
        }
        api.post("/admins") { request, context -> Response in
            let principal = try context.require(.manageAdmins)
            let draft: AdminDraft
            do {
                draft = try await request.decode(as: AdminDraft.self, context: context)
            } catch {
                throw APIError.badRequest("the body must be {\"name\": …, \"role\": …, \"apps\": [… for app-admin]}")
            }
            let created = try await AdminChanges.create(
                name: draft.name,
                role: draft.role,
                apps: draft.apps ?? [],
                in: store,
                by: principal.name,
                from: context.clientAddress,
                now: clock()
            )
            return try Response.json(
                CreatedAdmin(
                    admin: AdminItem(created.admin, apps: try await store.adminApps(named: created.admin.name)),
                    oneTimePassword: created.password
                ),
                status: .created
            )
        }
        api.put("/admins/:name") { request, context -> Response in
            let principal = try context.require(.manageAdmins)
            let change: RoleChange
            do {
                change = try await request.decode(as: RoleChange.self, context: context)
            } catch {
                throw APIError.badRequest("the body must be {\"role\": …, \"apps\": [… for app-admin]}")
            }
            let account = try await AdminChanges.changeRole(
                of: context.parameters.get("name") ?? "",
                to: change.role,
                apps: change.apps ?? [],
                in: store,
                by: principal.name,
                from: context.clientAddress,
                now: clock()
            )
            return try Response.json(AdminItem(account, apps: try await store.adminApps(named: account.name)))
        }
        api.delete("/admins/:name") { _, context -> Response in
            let principal = try context.require(.manageAdmins)
            try await AdminChanges.delete(
                context.parameters.get("name") ?? "",
                in: store,
                by: principal.name,
                from: context.clientAddress,
                now: clock()
            )
            return Response(status: .noContent)
        }
        api.get("/tokens") { request, context -> Response in
            _ = try context.require(.manageTokens)
            let query = try ListQuery(request)
            let all = try await store.tokens()
            let (page, next) = try query.slice(all)
            let items = page.map { TokenItem($0, now: clock()) }
            return try query.respond(items, next: next, csvHeader: TokenItem.csvHeader) { $0.csvRow }
        }
        api.post("/tokens") { request, context -> Response in
            let principal = try context.require(.manageTokens)
            let draft: TokenDraft
            do {
                draft = try await request.decode(as: TokenDraft.self, context: context)
            } catch {
                throw APIError.badRequest("the body must be {\"name\": …, \"role\": …, \"days\": 1–3650}")
            }
            let name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, name.count <= 100 else { throw APIError.badRequest("name must be 1–100 characters") }
            guard let role = Role(rawValue: draft.role) else {
                throw APIError.badRequest("role is one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard role != .appAdmin else {
                throw APIError.badRequest("tokens cannot be app-admin: app admins sign in to the portal")
            }
            let days = draft.days ?? 90
            guard (1...3_650).contains(days) else { throw APIError.badRequest("days must be from 1 to 3650") }
            let secret = APITokens.generate()
            let now = clock()
            let token = APIToken(
                name: name,
                tokenHash: APITokens.hash(secret),
                role: role.rawValue,
                createdBy: principal.name,
                createdAt: now,
                expiresAt: now + Int64(days) * 86_400_000
            )
            let id = try await store.createToken(token)
            try await store.appendAudit(
                AuditEntry(
                    time: now,
                    actor: principal.name,
                    action: "token.create",
                    target: "token \(id)",
                    detail: "\(name), \(role.rawValue), \(days) days",
                    sourceIP: context.clientAddress
                )
            )
            var stored = token
            stored.id = id
            return try Response.json(CreatedToken(token: TokenItem(stored, now: now), secret: secret), status: .created)
        }
        api.delete("/tokens/:id") { _, context -> Response in
            let principal = try context.require(.manageTokens)
            guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
                throw APIError.badRequest("a token id is a positive number")
            }
            guard try await store.revokeToken(id: id) else {
                throw APIError(.notFound, "not-found", "there is no such token")
            }
            try await store.appendAudit(
                AuditEntry(
                    time: clock(),
                    actor: principal.name,
                    action: "token.revoke",
                    target: "token \(id)",
                    detail: "revoked",
                    sourceIP: context.clientAddress
                )
            )
            return Response(status: .noContent, headers: [.cacheControl: "no-store"])
        }
    }
}

struct TokenDraft: Decodable {
    var name: String
    var role: String
    var days: Int?
}

/// An admin account without its password hash.
/// `POST /api/v1/admins`.
struct AdminDraft: Decodable {
    var name: String
    var role: String
    /// An app admin's apps.
    var apps: [String]?
}

/// `PUT /api/v1/admins/{name}`.
struct RoleChange: Decodable {
    var role: String
    var apps: [String]?
}

/// A created admin and the one-time password it signs in with first (shown once; it must be changed then).
struct CreatedAdmin: Encodable {
    var admin: AdminItem
    var oneTimePassword: String
}

struct AdminItem: Encodable {
    var name: String
    var role: String
    var mustChangePassword: Bool
    var createdAt: Int64
    /// An app admin's apps (empty for other roles).
    var apps: [String]

    init(_ a: AdminAccount, apps: [String]) {
        (name, role, mustChangePassword, createdAt) = (a.name, a.role, a.mustChangePassword, a.createdAt)
        self.apps = apps
    }

    static let csvHeader = ["name", "role", "mustChangePassword", "createdAt", "apps"]
    var csvRow: [String] { [name, role, String(mustChangePassword), String(createdAt), apps.joined(separator: " ")] }
}

/// An API token without its hash, as the API and `canopy token list` show it.
package struct TokenItem: Encodable, Sendable {
    package var id: Int64
    package var name: String
    package var role: String
    package var createdBy: String
    package var createdAt: Int64
    package var expiresAt: Int64
    /// `active`, `expired` or `revoked`.
    package var status: String

    package init(_ t: APIToken, now: Int64) {
        (id, name, role, createdBy, createdAt, expiresAt) = (
            t.id, t.name, t.role, t.createdBy, t.createdAt, t.expiresAt
        )
        status = t.revoked ? "revoked" : (t.expiresAt <= now ? "expired" : "active")
    }

    static let csvHeader = ["id", "name", "role", "createdBy", "createdAt", "expiresAt", "status"]
    var csvRow: [String] {
        [String(id), name, role, createdBy, String(createdAt), String(expiresAt), status]
    }
}

/// `POST /api/v1/tokens`' answer: the only time the secret is shown.
struct CreatedToken: Encodable {
    var token: TokenItem
    var secret: String
}
