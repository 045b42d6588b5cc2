import CanopyCollector
import CanopyDiscovery
import CanopyStore
import Foundation
import HTTPTypes

/// Creating, changing and deleting custom apps, checked and audited: shared by the API and the portal. Errors are
/// ``APIError``s.
struct CustomAppChanges: Sendable {
    let store: any Store
    let catalog: TenantCatalog

    static let notFound = APIError(.notFound, "not-found", "there is no such custom app")

    func create(
        _ input: CustomAppInput,
        by actor: String,
        from address: String?,
        now: Int64
    ) async throws
        -> CustomAppRecord
    {
        let id = (input.id ?? "").trimmingCharacters(in: .whitespaces)
        guard id.count <= 100, CatalogValidator.isSlug(id) else {
            throw APIError.badRequest("the id must be 1 to 100 lowercase letters, digits and dashes")
        }
        guard catalog.shipped.app(id: id) == nil else {
            throw APIError(
                .conflict,
                "conflict",
                "the id \(id) is taken by an app of the shipped catalog: choose another"
            )
        }
        let checked = try check(input)
        let app = CustomAppRecord(
            id: id,
            name: checked.name,
            vendor: checked.vendor,
            category: checked.category,
            domains: checked.domains,
            ipRanges: checked.ipRanges,
            score: checked.score,
            note: checked.note,
            createdBy: actor,
            createdAt: now
        )
        guard try await store.createCustomApp(app) else {
            throw APIError(.conflict, "conflict", "a custom app with the id \(id) exists")
        }
        try await audit(actor, address, now, "custom_app.create", app, Self.describe(app))
        return app
    }

    func update(
        id: String,
        _ input: CustomAppInput,
        by actor: String,
        from address: String?,
        now: Int64
    )
        async throws -> CustomAppRecord
    {
        if let other = input.id, other != id { throw APIError.badRequest("the id of a custom app cannot change") }
        let checked = try check(input)
        guard var app = try await store.customApps().first(where: { $0.id == id }) else { throw Self.notFound }
        (app.name, app.vendor, app.category) = (checked.name, checked.vendor, checked.category)
        (app.domains, app.ipRanges, app.score, app.note) = (
            checked.domains, checked.ipRanges, checked.score, checked.note
        )
        (app.updatedBy, app.updatedAt) = (actor, now)
        guard try await store.updateCustomApp(app) else { throw Self.notFound }
        try await audit(actor, address, now, "custom_app.update", app, Self.describe(app))
        return app
    }

    /// Deletes the app and any score override of it (the scoring settings would otherwise name an app that is gone).
    /// Its stored traffic stays, under its id.
    func delete(id: String, by actor: String, from address: String?, now: Int64) async throws {
        guard let app = try await store.customApps().first(where: { $0.id == id }),
            try await store.deleteCustomApp(id: id)
        else { throw Self.notFound }
        var detail = "deleted \(app.name)"
        var scoring = try await PortalAdminRoutes.scoring(store)
        if scoring.overrides.removeValue(forKey: id) != nil {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            try await store.setSetting(
                PortalCatalog.scoringKey,
                to: String(decoding: try encoder.encode(scoring), as: UTF8.self)
            )
            detail += "; its score override removed"
        }
        try await audit(actor, address, now, "custom_app.delete", app, detail)
    }

    private func check(_ input: CustomAppInput) throws -> CheckedCustomApp {
        do {
            return try CustomAppValidation.check(input, categories: catalog.shipped.categories)
        } catch {
            throw APIError.badRequest(error.reason)
        }
    }

    static func describe(_ app: CustomAppRecord) -> String {
        var parts = ["\(app.name) (\(app.category))"]
        let rules = app.domains + app.ipRanges
        parts.append(rules.count > 10 ? rules.prefix(10).joined(separator: ", ") + " …" : rules.joined(separator: ", "))
        if let score = app.score { parts.append("score \(score)") }
        return parts.joined(separator: "; ")
    }

    private func audit(
        _ actor: String,
        _ address: String?,
        _ now: Int64,
        _ action: String,
        _ app: CustomAppRecord,
        _ detail: String
    ) async throws {
        try await store.appendAudit(
            AuditEntry(time: now, actor: actor, action: action, target: app.id, detail: detail, sourceIP: address)
        )
    }
}
