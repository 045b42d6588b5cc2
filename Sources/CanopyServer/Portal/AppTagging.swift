import CanopyDiscovery
import CanopyStore

/// Tagging apps, shared by the API and the portal: `sanctioned` and `unsanctioned` exclude each other, and every
/// change is audited and, being a governance action on the app, in the governance log.
enum AppTagging {
    /// Adds `tag` to `app` (removing the opposite of sanctioned/unsanctioned); true when anything changed.
    @discardableResult
    static func add(
        _ tag: String,
        to app: String,
        store: any Store,
        actor: String,
        sourceIP: String?,
        now: Int64
    ) async throws -> Bool {
        let added = try await store.addTag(tag, to: app)
        let opposite = tag == "sanctioned" ? "unsanctioned" : tag == "unsanctioned" ? "sanctioned" : nil
        var removed = false
        if let opposite { removed = try await store.removeTag(opposite, from: app) }
        if added || removed {
            try await store.appendAudit(
                AuditEntry(
                    time: now,
                    actor: actor,
                    action: "app.tag",
                    target: app,
                    detail: removed ? "\(tag) (was \(opposite ?? ""))" : tag,
                    sourceIP: sourceIP
                )
            )
            try await store.appendGovernance(
                GovernanceEntry(
                    time: now,
                    kind: "app",
                    action: Self.action(adding: tag),
                    target: app,
                    detail: removed ? "tagged \(tag), was \(opposite ?? "")" : "tagged \(tag)",
                    initiatedBy: actor
                )
            )
        }
        return added || removed
    }

    /// Removes `tag` from `app`; true when it had it.
    @discardableResult
    static func remove(
        _ tag: String,
        from app: String,
        store: any Store,
        actor: String,
        sourceIP: String?,
        now: Int64
    ) async throws -> Bool {
        let removed = try await store.removeTag(tag, from: app)
        if removed {
            try await store.appendAudit(
                AuditEntry(time: now, actor: actor, action: "app.untag", target: app, detail: tag, sourceIP: sourceIP)
            )
            try await store.appendGovernance(
                GovernanceEntry(
                    time: now,
                    kind: "app",
                    action: "app.untag",
                    target: app,
                    detail: "removed \(tag)",
                    initiatedBy: actor
                )
            )
        }
        return removed
    }

    /// The governance action of adding `tag`.
    static func action(adding tag: String) -> String {
        switch tag {
        case DiscoverySettings.sanctioned: "app.sanction"
        case DiscoverySettings.unsanctioned: "app.unsanction"
        default: "app.tag"
        }
    }
}
