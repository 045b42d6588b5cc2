package import CanopyStore
package import Logging
import ServiceLifecycle

/// How long data is kept, from the store's settings (`retention.activities.days`, `retention.discovery.days`,
/// `retention.alerts.days`, `retention.governance.days`), with the reference product's defaults: activities 180
/// days, discovery data 90, alerts 180, the governance log 120.
package struct RetentionPolicy: Sendable, Equatable {
    package var activitiesDays: Int
    package var discoveryDays: Int
    package var alertsDays: Int
    package var governanceDays: Int

    package static let defaultActivitiesDays = 180
    package static let defaultDiscoveryDays = 90
    package static let defaultAlertsDays = 180
    package static let defaultGovernanceDays = 120
    package static let activitiesKey = "retention.activities.days"
    package static let discoveryKey = "retention.discovery.days"
    package static let alertsKey = "retention.alerts.days"
    package static let governanceKey = "retention.governance.days"

    package init(
        activitiesDays: Int = defaultActivitiesDays,
        discoveryDays: Int = defaultDiscoveryDays,
        alertsDays: Int = defaultAlertsDays,
        governanceDays: Int = defaultGovernanceDays
    ) {
        self.activitiesDays = activitiesDays
        self.discoveryDays = discoveryDays
        self.alertsDays = alertsDays
        self.governanceDays = governanceDays
    }

    /// The policy in `store`: a missing or invalid value (not a whole number of days from 1 to 3,650) is the default.
    package static func current(in store: any Store) async throws -> RetentionPolicy {
        func days(_ key: String, _ fallback: Int) async throws -> Int {
            guard let value = try await store.setting(key).flatMap(Int.init), (1...3_650).contains(value) else {
                return fallback
            }
            return value
        }
        return RetentionPolicy(
            activitiesDays: try await days(activitiesKey, defaultActivitiesDays),
            discoveryDays: try await days(discoveryKey, defaultDiscoveryDays),
            alertsDays: try await days(alertsKey, defaultAlertsDays),
            governanceDays: try await days(governanceKey, defaultGovernanceDays)
        )
    }
}

/// Deleting old data, and all discovery data on request; each deletion that removes something is audited.
package enum Retention {
    private static let msPerDay: Int64 = 86_400_000

    /// Deletes discovery aggregates older than the policy allows, as of `now` (ms since the epoch).
    ///
    /// - Returns: the number of aggregates deleted.
    @discardableResult
    package static func apply(to store: any Store, now: Int64) async throws -> Int {
        let policy = try await RetentionPolicy.current(in: store)
        let today = Int32(now / msPerDay)
        let cutoff = today - Int32(policy.discoveryDays) + 1  // Keep `discoveryDays` days, today included.
        let deleted = try await store.deleteDiscovery(before: cutoff)
        if deleted > 0 {
            try await store.appendAudit(
                AuditEntry(
                    time: now,
                    actor: "system",
                    action: "retention.discovery",
                    target: "discovery",
                    detail:
                        "deleted \(deleted) aggregates of days before day \(cutoff) (kept \(policy.discoveryDays) days)",
                    sourceIP: nil
                )
            )
        }
        return deleted
    }

    /// Data kept for a number of days (a ``RetentionPolicy`` field) and deleted by time, audited by `system`.
    package struct Expiry: Sendable {
        let days: @Sendable (RetentionPolicy) -> Int
        /// The audit action (`retention.<kind>`), target and the noun of the audit detail.
        let action: String
        let target: String
        let noun: String
        /// Deletes what is older than a time (ms since the epoch); returns how many.
        let delete: @Sendable (any Store, Int64) async throws -> Int

        /// Activities: `activitiesDays`, default 180 (the reference product's).
        package static let activities = Expiry(
            days: { $0.activitiesDays },
            action: "retention.activities",
            target: "activities",
            noun: "activities",
            delete: { try await $0.deleteActivities(before: $1) }
        )

        /// Alerts: `alertsDays`, default 180 (the reference product's).
        package static let alerts = Expiry(
            days: { $0.alertsDays },
            action: "retention.alerts",
            target: "alerts",
            noun: "alerts",
            delete: { try await $0.deleteAlerts(before: $1) }
        )

        /// Governance-log entries: `governanceDays`, default 120.
        package static let governance = Expiry(
            days: { $0.governanceDays },
            action: "retention.governance",
            target: "governance log",
            noun: "entries",
            delete: { try await $0.deleteGovernance(before: $1) }
        )
    }

    /// Deletes what `expiry` names older than the store's policy allows, as of `now`; audited when anything went.
    @discardableResult
    package static func apply(_ expiry: Expiry, in store: any Store, now: Int64) async throws -> Int {
        let days = try await expiry.days(RetentionPolicy.current(in: store))
        let deleted = try await expiry.delete(store, now - Int64(days) * msPerDay)
        if deleted > 0 {
            try await store.appendAudit(
                AuditEntry(
                    time: now,
                    actor: "system",
                    action: expiry.action,
                    target: expiry.target,
                    detail: "deleted \(deleted) \(expiry.noun) older than \(days) days",
                    sourceIP: nil
                )
            )
        }
        return deleted
    }

    /// Deletes activities older than the policy's `activitiesDays`, audited by `system` when any went.
    @discardableResult
    package static func applyToActivities(in store: any Store, now: Int64) async throws -> Int {
        try await apply(.activities, in: store, now: now)
    }

    /// Deletes alerts older than the policy's `alertsDays`, audited by `system` when any went.
    @discardableResult
    package static func applyToAlerts(in store: any Store, now: Int64) async throws -> Int {
        try await apply(.alerts, in: store, now: now)
    }

    /// Deletes governance-log entries older than the policy's `governanceDays`, audited by `system` when any went.
    @discardableResult
    package static func applyToGovernance(in store: any Store, now: Int64) async throws -> Int {
        try await apply(.governance, in: store, now: now)
    }

    /// Deletes portal sessions that ended (past their absolute expiry, or idle longer than the policy allows). Ended
    /// sessions are refused at once anyway; this keeps the table small.
    @discardableResult
    package static func deleteEndedSessions(
        in store: any Store,
        now: Int64,
        policy: SessionPolicy = SessionPolicy()
    ) async throws -> Int {
        try await store.deleteExpiredSessions(now: now, idleSince: now - policy.idle)
    }

    /// Deletes every discovery aggregate at an admin's request and audits who asked, from where.
    @discardableResult
    package static func deleteAllDiscovery(
        in store: any Store,
        by actor: String,
        from sourceIP: String?,
        now: Int64
    )
        async throws -> Int
    {
        let deleted = try await store.deleteDiscovery(before: nil)
        try await store.appendAudit(
            AuditEntry(
                time: now,
                actor: actor,
                action: "discovery.delete-all",
                target: "discovery",
                detail: "deleted \(deleted) aggregates",
                sourceIP: sourceIP
            )
        )
        return deleted
    }
}

/// Runs ``Retention/apply(to:now:)`` and the other expiries at start and then every `interval` (daily), until graceful
/// shutdown.
package struct RetentionService: Service {
    let store: any Store
    let interval: Duration
    let clock: @Sendable () -> Int64
    let logger: Logger

    package init(
        store: any Store,
        interval: Duration = .seconds(86_400),
        clock: @escaping @Sendable () -> Int64,
        logger: Logger
    ) {
        self.store = store
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    package func run() async throws {
        try await PeriodicService(name: "retention", interval: interval, logger: logger) {
            let deleted = try await Retention.apply(to: store, now: clock())
            if deleted > 0 {
                logger.notice("retention deleted old discovery aggregates", metadata: ["count": "\(deleted)"])
            }
            for expiry in [Retention.Expiry.activities, .alerts, .governance] {
                let count = try await Retention.apply(expiry, in: store, now: clock())
                if count > 0 {
                    logger.notice(
                        "retention deleted old data",
                        metadata: ["data": "\(expiry.target)", "count": "\(count)"]
                    )
                }
            }
            let sessions = try await Retention.deleteEndedSessions(in: store, now: clock())
            if sessions > 0 { logger.info("ended sessions deleted", metadata: ["count": "\(sessions)"]) }
        }
        .run()
    }
}
