import CanopyStore
import Foundation
import HTTPTypes

/// Creating admins, changing their role and deleting them, checked and audited: shared by the portal's admins page
/// and `/api/v1/admins`. Errors are ``APIError``s (the portal turns them into its pages).
enum AdminChanges {
    /// Creates an admin with a generated one-time password (returned once, never stored in clear), which must be
    /// changed at first sign-in.
    static func create(
        name rawName: String,
        role roleName: String,
        apps: [String] = [],
        in store: any Store,
        by actor: String,
        from address: String?,
        now: Int64
    ) async throws -> (admin: AdminAccount, password: String) {
        let name = rawName.trimmingCharacters(in: .whitespaces)
        guard isValidName(name) else {
            throw APIError.badRequest("names are 1–64 letters, digits, '.', '_', '-' or '@'")
        }
        let role = try role(roleName)
        let scope = try scope(apps, for: role)
        let password = FirstAdmin.generatePassword()
        let account = AdminAccount(
            name: name,
            passwordHash: await PortalAuthRoutes.hash(password),
            role: role.rawValue,
            mustChangePassword: true,
            createdAt: now
        )
        guard try await store.createAdmin(account) else {
            throw APIError(.conflict, "conflict", "an admin named \(name) exists")
        }
        if !scope.isEmpty { try await store.setAdminApps(scope, for: name) }
        let detail = "role \(role.rawValue)" + (scope.isEmpty ? "" : ", apps \(scope.joined(separator: ", "))")
        try await audit(store, actor, address, now, "admin.create", name, detail)
        return (account, password)
    }

    /// Changes an admin's role (and an app admin's apps) and ends their sessions (their next request signs in again
    /// with the new role). Nothing changes when role and apps are already those.
    static func changeRole(
        of name: String,
        to roleName: String,
        apps: [String] = [],
        in store: any Store,
        by actor: String,
        from address: String?,
        now: Int64
    ) async throws -> AdminAccount {
        guard name != actor else { throw APIError.badRequest("you cannot change your own role") }
        let role = try role(roleName)
        let scope = try scope(apps, for: role)
        guard var account = try await store.admin(named: name) else {
            throw APIError(.notFound, "not-found", "there is no admin \(name)")
        }
        let old = account.role
        let oldScope = try await store.adminApps(named: name)
        guard old != role.rawValue || oldScope != scope else { return account }
        account.role = role.rawValue
        try await store.updateAdmin(account)
        try await store.setAdminApps(scope, for: name)
        try await store.deleteSessions(admin: name)
        let detail = "\(old) → \(role.rawValue)" + (scope.isEmpty ? "" : ", apps \(scope.joined(separator: ", "))")
        try await audit(store, actor, address, now, "admin.role", name, detail)
        return account
    }

    static func delete(
        _ name: String,
        in store: any Store,
        by actor: String,
        from address: String?,
        now: Int64
    ) async throws {
        guard name != actor else { throw APIError.badRequest("you cannot delete your own account") }
        guard try await store.deleteAdmin(named: name) else {
            throw APIError(.notFound, "not-found", "there is no admin \(name)")
        }
        try await store.deleteSessions(admin: name)
        try await store.setAdminApps([], for: name)
        try await audit(store, actor, address, now, "admin.delete", name, "deleted")
    }

    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count)
            && name.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) && $0.isASCII || ".-_@".unicodeScalars.contains($0)
            }
    }

    /// An app admin's apps: 1 to 100 app ids (sorted, duplicates dropped); every other role has none.
    static func scope(_ apps: [String], for role: Role) throws -> [String] {
        let ids = Array(Set(apps.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })).sorted()
        guard role == .appAdmin else {
            guard ids.isEmpty else { throw APIError.badRequest("only app admins have apps") }
            return []
        }
        guard (1...100).contains(ids.count), ids.allSatisfy({ TagPath.isSlug($0, max: 100) }) else {
            throw APIError.badRequest("an app admin needs 1 to 100 app ids (lowercase letters, digits and -)")
        }
        return ids
    }

    private static func role(_ name: String) throws -> Role {
        guard let role = Role(rawValue: name) else {
            throw APIError.badRequest("role is one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return role
    }

    private static func audit(
        _ store: any Store,
        _ actor: String,
        _ address: String?,
        _ now: Int64,
        _ action: String,
        _ target: String,
        _ detail: String
    ) async throws {
        try await store.appendAudit(
            AuditEntry(time: now, actor: actor, action: action, target: target, detail: detail, sourceIP: address)
        )
    }
}
