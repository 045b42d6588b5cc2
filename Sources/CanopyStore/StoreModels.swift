/// One admin action, as the audit log keeps it: who, what, on what, when, from where.
package struct AuditEntry: Sendable, Hashable, Codable {
    /// Milliseconds since the epoch.
    package var time: Int64
    /// The admin (user name or API token name).
    package var actor: String
    /// What was done (`app.sanction`, `settings.update` …).
    package var action: String
    /// What it was done to (an app id, a setting key …).
    package var target: String
    /// Details for a human (never secrets).
    package var detail: String
    /// The client address the action came from, when known.
    package var sourceIP: String?

    package init(time: Int64, actor: String, action: String, target: String, detail: String, sourceIP: String?) {
        self.time = time
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
        self.sourceIP = sourceIP
    }
}

/// An audit entry with the id the store gave it.
package struct StoredAuditEntry: Sendable, Hashable, Codable {
    package var id: Int64
    package var entry: AuditEntry

    package init(id: Int64, entry: AuditEntry) {
        self.id = id
        self.entry = entry
    }
}

/// Traffic of one (day, data source, app, user, source IP): the grain Cloud Discovery stores (DESIGN.md §3.1).
package struct DiscoveryRow: Sendable, Hashable {
    /// Days since the epoch (UTC).
    package var day: Int32
    /// A catalog app id.
    package var app: String
    /// The user name (or its anonymized token); empty when the log names none.
    package var user: String
    /// The source address as text; empty when the log names none.
    package var sourceIP: String
    package var bytesUp: Int64
    package var bytesDown: Int64
    package var bytesTotal: Int64
    package var transactions: Int64
    package var blocked: Int64
    /// First and last record time in ms since the epoch.
    package var firstSeen: Int64
    package var lastSeen: Int64
    /// The data source that received it (its continuous report), 0 for traffic of no data source (demo data).
    package var dataSource: Int64

    package init(
        day: Int32,
        app: String,
        user: String,
        sourceIP: String,
        bytesUp: Int64,
        bytesDown: Int64,
        bytesTotal: Int64,
        transactions: Int64,
        blocked: Int64,
        firstSeen: Int64,
        lastSeen: Int64,
        dataSource: Int64 = 0
    ) {
        self.day = day
        self.dataSource = dataSource
        self.app = app
        self.user = user
        self.sourceIP = sourceIP
        self.bytesUp = bytesUp
        self.bytesDown = bytesDown
        self.bytesTotal = bytesTotal
        self.transactions = transactions
        self.blocked = blocked
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// One app's traffic over a time range.
package struct AppUsageSummary: Sendable, Hashable {
    package var app: String
    package var bytesUp: Int64
    package var bytesDown: Int64
    package var bytesTotal: Int64
    package var transactions: Int64
    package var blocked: Int64
    /// Distinct non-empty users and source IPs.
    package var users: Int
    package var sourceIPs: Int
    package var firstSeen: Int64
    package var lastSeen: Int64

    package init(
        app: String,
        bytesUp: Int64,
        bytesDown: Int64,
        bytesTotal: Int64,
        transactions: Int64,
        blocked: Int64,
        users: Int,
        sourceIPs: Int,
        firstSeen: Int64,
        lastSeen: Int64
    ) {
        self.app = app
        self.bytesUp = bytesUp
        self.bytesDown = bytesDown
        self.bytesTotal = bytesTotal
        self.transactions = transactions
        self.blocked = blocked
        self.users = users
        self.sourceIPs = sourceIPs
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// A local admin account. The password is kept only as a slow hash (bcrypt), never in clear.
package struct AdminAccount: Sendable, Hashable {
    package var name: String
    package var passwordHash: String
    /// The role's id (`global-admin`, `security-admin`, `security-operator`, `security-reader`, `compliance-admin`).
    package var role: String
    /// Whether the password was generated (the first admin's one-time password) and must be changed at sign-in.
    package var mustChangePassword: Bool
    /// Milliseconds since the epoch.
    package var createdAt: Int64

    package init(name: String, passwordHash: String, role: String, mustChangePassword: Bool, createdAt: Int64) {
        self.name = name
        self.passwordHash = passwordHash
        self.role = role
        self.mustChangePassword = mustChangePassword
        self.createdAt = createdAt
    }
}

/// An API bearer token as stored: its secret only as a SHA-256 hash (tokens are long random strings, so a fast hash
/// is enough; no password-style KDF is needed), with a role and an expiry.
package struct APIToken: Sendable, Hashable {
    /// Given by the store.
    package var id: Int64
    package var name: String
    /// Lowercase hex SHA-256 of the token's secret.
    package var tokenHash: String
    package var role: String
    package var createdBy: String
    /// Milliseconds since the epoch.
    package var createdAt: Int64
    package var expiresAt: Int64
    package var revoked: Bool

    package init(
        id: Int64 = 0,
        name: String,
        tokenHash: String,
        role: String,
        createdBy: String,
        createdAt: Int64,
        expiresAt: Int64,
        revoked: Bool = false
    ) {
        self.id = id
        self.name = name
        self.tokenHash = tokenHash
        self.role = role
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revoked = revoked
    }
}

/// A store failure with what it was doing; never carries secrets or row contents.
package struct StoreError: Error, CustomStringConvertible, Sendable {
    package var operation: String
    package var reason: String

    package init(_ operation: String, _ reason: String) {
        self.operation = operation
        self.reason = reason
    }

    package var description: String { "store: \(operation): \(reason)" }

    /// Runs `body`; any error but a `StoreError` becomes one that names `operation` and says what `describe` makes
    /// of the error (the database's message — never bound values).
    @discardableResult
    static func naming<T: Sendable>(
        _ operation: String,
        describe: (any Error) -> String,
        _ body: () async throws -> T
    ) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(operation, describe(error))
        }
    }
}
