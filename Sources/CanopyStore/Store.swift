package import CanopyCore
package import Foundation

/// Where `canopy serve` keeps everything: settings, app tags, the audit log and Cloud Discovery aggregates.
///
/// Two backends implement it — ``SQLiteStore`` (GRDB, the embedded default) and ``PostgresStore`` (PostgresNIO, for
/// several nodes) — and one conformance suite (Tests/CanopyStoreTests) runs against both, so they behave alike.
/// Every schema change is a new frozen migration (``Migration``); an applied migration is never edited.
package protocol Store: Sendable {
    /// Applies, in order and each in its own transaction, the migrations not applied yet. Safe to call on every
    /// start and from several processes at once.
    func migrate() async throws

    /// The ids of the applied migrations, in the order they were applied.
    func appliedMigrations() async throws -> [String]

    // MARK: Settings

    /// The value stored under `key`, or nil.
    func setting(_ key: String) async throws -> String?

    /// Stores `value` under `key`; nil removes the key.
    func setSetting(_ key: String, to value: String?) async throws

    // MARK: App tags

    /// Every tagged app with its tags (`sanctioned`, `unsanctioned` or custom tags).
    func appTags() async throws -> [String: Set<String>]

    /// Tags `app`; false when it already had the tag.
    @discardableResult
    func addTag(_ tag: String, to app: String) async throws -> Bool

    /// Removes a tag; false when the app did not have it.
    @discardableResult
    func removeTag(_ tag: String, from app: String) async throws -> Bool

    // MARK: Audit log

    /// Appends an entry and returns its id (ids grow with every entry).
    @discardableResult
    func appendAudit(_ entry: AuditEntry) async throws -> Int64

    /// Entries newest first: those with an id below `before` (all when nil), at most `limit`.
    func auditEntries(before: Int64?, limit: Int) async throws -> [StoredAuditEntry]

    // MARK: Admins

    /// The number of admin accounts.
    func adminCount() async throws -> Int

    /// The admin with this name, or nil.
    func admin(named name: String) async throws -> AdminAccount?

    /// Creates an account; false when the name is taken (nothing changes then).
    @discardableResult
    func createAdmin(_ admin: AdminAccount) async throws -> Bool

    // MARK: API tokens

    /// Stores a token (its `id` is ignored) and returns the id the store gave it.
    @discardableResult
    func createToken(_ token: APIToken) async throws -> Int64

    /// The token whose secret hashes to `hash`, revoked or not, expired or not (the caller decides).
    func token(hash: String) async throws -> APIToken?

    /// Every token, newest first.
    func tokens() async throws -> [APIToken]

    /// Revokes a token; false when there is no such token or it was revoked already.
    @discardableResult
    func revokeToken(id: Int64) async throws -> Bool

    // MARK: Admin accounts and portal sessions

    /// Every admin account, by name.
    func admins() async throws -> [AdminAccount]

    /// Replaces the stored password hash, role and must-change flag of `admin.name`; false when there is no such
    /// account.
    @discardableResult
    func updateAdmin(_ admin: AdminAccount) async throws -> Bool

    /// Deletes an account and its sessions; false when there is no such account.
    @discardableResult
    func deleteAdmin(named name: String) async throws -> Bool

    /// Stores a new session.
    func createSession(_ session: AdminSession) async throws

    /// The session whose secret hashes to `idHash`, expired or not (the caller decides).
    func session(idHash: String) async throws -> AdminSession?

    /// Records a request on a session (its idle timeout starts again).
    func touchSession(idHash: String, lastSeen: Int64) async throws

    /// Ends one session (sign-out); false when there was none.
    @discardableResult
    func deleteSession(idHash: String) async throws -> Bool

    /// Ends every session of `admin` (password or role changed, account deleted); returns how many.
    @discardableResult
    func deleteSessions(admin: String) async throws -> Int

    /// Deletes sessions that ended (absolute expiry before `now`, or idle since before `idleSince`).
    @discardableResult
    func deleteExpiredSessions(now: Int64, idleSince: Int64) async throws -> Int

    // MARK: Cloud Discovery

    /// Adds traffic to the (day, app, data source, user, source IP) aggregates: counters add up, first/last seen
    /// widen. All of `rows` or none of them, in one transaction with the dashboard rollups merged once, so a caller
    /// may hand one collector flush (hundreds of thousands of rows) at once and retry it whole when it fails.
    func addDiscovery(_ rows: [DiscoveryRow]) async throws

    /// Traffic per app over `days` (days since the epoch), with distinct users and source IPs; most bytes first.
    /// `dataSource` chooses a data source's continuous report; nil is the global report (every source).
    func discoveryByApp(days: ClosedRange<Int32>, dataSource: Int64?) async throws -> [AppUsageSummary]

    /// Deletes the discovery aggregates of days before `day` (retention), or all of them when nil; returns how
    /// many aggregates were deleted.
    @discardableResult
    func deleteDiscovery(before day: Int32?) async throws -> Int

    /// Builds the weekly rollups of every finished week before `day`'s week that has discovery data and is not built
    /// (``DiscoveryWeeks``), one week a transaction; `now` (ms) is recorded with each. Returns the weeks built.
    /// Reads give the same answers before and after; after, a month reads about a fifth of the rows.
    @discardableResult
    func buildDiscoveryWeeks(before day: Int32, now: Int64) async throws -> Int

    /// Which rows a read of `range` takes now: the built weeks inside it from the weekly rollups, the other days from
    /// the daily ones (for tests and the benchmark).
    func discoveryWeeks(_ range: ClosedRange<Int32>) async throws -> DiscoveryWeeks

    // MARK: Cloud Discovery dashboard (`dataSource`: a data source's continuous report; nil: the global one)

    /// Totals over `days` (distinct apps, users and source IPs; traffic).
    func discoveryTotals(days: ClosedRange<Int32>, dataSource: Int64?) async throws -> DiscoveryTotals

    /// Traffic per user over `days` (of `app` only, when given), most bytes first, at most `limit` (all when nil).
    func discoveryByUser(
        days: ClosedRange<Int32>,
        dataSource: Int64?,
        app: String?,
        limit: Int?
    ) async throws -> [EntityUsageSummary]

    /// Traffic per source IP over `days` (of `app` only, when given), most bytes first, at most `limit`.
    func discoveryByIP(
        days: ClosedRange<Int32>,
        dataSource: Int64?,
        app: String?,
        limit: Int?
    ) async throws -> [EntityUsageSummary]

    /// Traffic per day over `days` (of `app` only, when given), oldest first; days without traffic are left out.
    func discoveryDaily(days: ClosedRange<Int32>, dataSource: Int64?, app: String?) async throws -> [DailyUsage]

    // MARK: Data sources (continuous discovery)

    /// Stores a data source (its `id` is ignored) and returns the id the store gave it; nil when the name is taken
    /// (nothing changes then).
    func createDataSource(_ source: DataSource) async throws -> Int64?

    /// Every data source, oldest first.
    func dataSources() async throws -> [DataSource]

    /// Deletes a data source and what it received; false when there is no such source.
    @discardableResult
    func deleteDataSource(id: Int64) async throws -> Bool

    /// Adds `delta` to what source `id` received (counters and reasons add up, the last received time is the later
    /// one). Nothing happens for an unknown id.
    func addIntake(_ delta: DataSourceIntake, to id: Int64) async throws

    /// What each data source received, by source id (sources that received nothing have an empty intake).
    func intakes() async throws -> [Int64: DataSourceIntake]

    // MARK: System alerts

    /// Stores an alert and returns its id; nil when an alert with the same `dedupKey` exists (nothing changes).
    @discardableResult
    func raiseAlert(_ alert: SystemAlert) async throws -> Int64?

    /// Alerts newest first: those with an id below `before` (all when nil), at most `limit`.
    func alerts(before: Int64?, limit: Int) async throws -> [StoredSystemAlert]

    /// Deletes alerts raised before `time` (ms since the epoch; retention); returns how many.
    @discardableResult
    func deleteAlerts(before time: Int64) async throws -> Int

    // MARK: Snapshots

    /// Stores a snapshot (its `id` is ignored; normally `processing`) and returns the id the store gave it.
    @discardableResult
    func createSnapshot(_ snapshot: SnapshotSummary) async throws -> Int64

    /// Records how processing ended (status, format, counts, error, digest and report); false when there is no such
    /// snapshot or it is not `processing` any more (finished already, or deleted meanwhile).
    @discardableResult
    func finishSnapshot(id: Int64, _ completion: SnapshotCompletion) async throws -> Bool

    /// Snapshots newest first, without their reports: those with an id below `before` (all when nil), at most
    /// `limit`.
    func snapshots(before: Int64?, limit: Int) async throws -> [SnapshotSummary]

    /// One snapshot with its report, or nil.
    func snapshot(id: Int64) async throws -> SnapshotRecord?

    /// Deletes a snapshot and its report; false when there is no such snapshot.
    @discardableResult
    func deleteSnapshot(id: Int64) async throws -> Bool

    /// Replaces a ready snapshot's digest and report (a privacy erasure rewrites them); false when there is no
    /// such ready snapshot.
    @discardableResult
    func replaceSnapshotReport(id: Int64, digest: Data?, report: Data) async throws -> Bool

    // MARK: Privacy requests

    /// Every discovery aggregate of one user name (exact match), oldest day first.
    func discoveryRows(user: String) async throws -> [DiscoveryRow]

    /// Deletes every discovery aggregate of one user name; returns how many.
    @discardableResult
    func deleteDiscovery(user: String) async throws -> Int

    // MARK: IP address ranges

    /// Every IP range, by name.
    func ipRanges() async throws -> [IPRangeRecord]

    /// Creates a range (its `id` is ignored); `.nameTaken` when another has its name.
    func createIPRange(_ range: IPRangeRecord) async throws -> IPRangeWrite

    /// Replaces the name, category, blocks, tags and `updated_*` of the range with `range.id`.
    func updateIPRange(_ range: IPRangeRecord) async throws -> IPRangeWrite

    /// Whether a range was deleted.
    func deleteIPRange(id: Int64) async throws -> Bool

    // MARK: Custom apps

    /// Every custom app, by id.
    func customApps() async throws -> [CustomAppRecord]

    /// Creates a custom app; `false` (and nothing changed) when one has its id.
    func createCustomApp(_ app: CustomAppRecord) async throws -> Bool

    /// Replaces everything but `id` and `created_*` of the app with `app.id`; `false` when there is none.
    func updateCustomApp(_ app: CustomAppRecord) async throws -> Bool

    /// Whether an app was deleted.
    func deleteCustomApp(id: String) async throws -> Bool

    // MARK: App-scoped admins

    /// The apps an app-scoped admin manages, by id.
    func adminApps(named admin: String) async throws -> [String]

    /// Replaces the apps `admin` manages (an empty list removes the scope).
    func setAdminApps(_ apps: [String], for admin: String) async throws

    // MARK: Governance log

    /// Records a governance action; returns its id.
    @discardableResult
    func appendGovernance(_ entry: GovernanceEntry) async throws -> Int64

    /// Moves a (pending) action to `status`, with why it failed; false when there is no such entry.
    @discardableResult
    func setGovernanceStatus(id: Int64, _ status: GovernanceEntry.Status, error: String?) async throws -> Bool

    /// The entries `filter` matches with ids below `before` (all when nil), newest first, at most `limit`.
    func governanceEntries(
        _ filter: GovernanceFilter,
        before: Int64?,
        limit: Int
    ) async throws
        -> [StoredGovernanceEntry]

    /// Deletes entries older than `time` (ms since the epoch); returns how many.
    @discardableResult
    func deleteGovernance(before time: Int64) async throws -> Int

    // MARK: Activities

    /// Stores activities in one transaction, skipping each one already stored (same app, instance and source event
    /// id: a connector that reads a page again); returns how many were new.
    @discardableResult
    func appendActivities(_ activities: [Activity]) async throws -> Int

    /// The activities `filter` matches with ids below `before` (all when nil), newest first, at most `limit`.
    func activities(_ filter: ActivityFilter, before: Int64?, limit: Int) async throws -> [StoredActivity]

    /// Deletes activities older than `time` (ms since the epoch); returns how many.
    @discardableResult
    func deleteActivities(before time: Int64) async throws -> Int

    /// Deletes every activity of the actor named `user` (a privacy erasure); returns how many.
    @discardableResult
    func deleteActivities(user: String) async throws -> Int
}

extension Store {
    // The global continuous report (every data source), for callers that never choose one.

    package func discoveryByApp(days: ClosedRange<Int32>) async throws -> [AppUsageSummary] {
        try await discoveryByApp(days: days, dataSource: nil)
    }

    package func discoveryTotals(days: ClosedRange<Int32>) async throws -> DiscoveryTotals {
        try await discoveryTotals(days: days, dataSource: nil)
    }

    package func discoveryByUser(
        days: ClosedRange<Int32>,
        app: String?,
        limit: Int?
    ) async throws -> [EntityUsageSummary] {
        try await discoveryByUser(days: days, dataSource: nil, app: app, limit: limit)
    }

    package func discoveryByIP(
        days: ClosedRange<Int32>,
        app: String?,
        limit: Int?
    ) async throws -> [EntityUsageSummary] {
        try await discoveryByIP(days: days, dataSource: nil, app: app, limit: limit)
    }

    package func discoveryDaily(days: ClosedRange<Int32>, app: String?) async throws -> [DailyUsage] {
        try await discoveryDaily(days: days, dataSource: nil, app: app)
    }
}
