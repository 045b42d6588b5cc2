/// One governance action: something Canopy did, or was asked to do, to an app, a file or an account — tagging an app
/// unsanctioned, generating a block list for an appliance, and (with app connectors) suspending a user or removing
/// a file's sharing. The reference product's governance log; the audit log says who changed Canopy itself.
package struct GovernanceEntry: Sendable, Hashable {
    /// Where an action stands. Manual discovery actions finish at once; cloud actions may be pending first.
    package enum Status: String, Sendable, Hashable, CaseIterable, Codable {
        case pending
        case succeeded
        case failed
    }

    /// Milliseconds since the epoch.
    package var time: Int64
    /// What was acted on: `app` (discovery), `file`, `account`.
    package var kind: String
    /// `app.sanction`, `app.unsanction`, `app.tag`, `app.untag`, `blocklist.generate` …
    package var action: String
    /// The object's id (an app id, a block-list format …).
    package var target: String
    package var detail: String
    package var status: Status
    /// An admin's name, or `policy:<id>` for an automatic action.
    package var initiatedBy: String
    /// Why a failed action failed.
    package var error: String?

    package init(
        time: Int64,
        kind: String,
        action: String,
        target: String,
        detail: String = "",
        status: Status = .succeeded,
        initiatedBy: String,
        error: String? = nil
    ) {
        self.time = time
        self.kind = kind
        self.action = action
        self.target = target
        self.detail = detail
        self.status = status
        self.initiatedBy = initiatedBy
        self.error = error
    }
}

/// A governance entry with its id (ids only grow: the list's cursor).
package struct StoredGovernanceEntry: Sendable, Hashable {
    package var id: Int64
    package var entry: GovernanceEntry

    package init(id: Int64, entry: GovernanceEntry) {
        self.id = id
        self.entry = entry
    }
}

/// Which governance entries a list wants; nil fields match everything. Times are ms since the epoch, `to`
/// exclusive.
package struct GovernanceFilter: Sendable, Hashable {
    package var kind: String?
    package var action: String?
    package var status: GovernanceEntry.Status?
    package var target: String?
    package var from: Int64?
    package var to: Int64?

    package init(
        kind: String? = nil,
        action: String? = nil,
        status: GovernanceEntry.Status? = nil,
        target: String? = nil,
        from: Int64? = nil,
        to: Int64? = nil
    ) {
        self.kind = kind
        self.action = action
        self.status = status
        self.target = target
        self.from = from
        self.to = to
    }
}
