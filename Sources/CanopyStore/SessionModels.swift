/// A signed-in portal session. The browser holds a random secret in an HttpOnly cookie; the store keeps only the
/// secret's SHA-256 (``idHash``), so a copy of the database does not let anyone sign in.
package struct AdminSession: Sendable, Hashable {
    package var idHash: String
    /// The admin's account name.
    package var admin: String
    /// The token every state-changing portal request must carry (a form field), bound to this session.
    package var csrfToken: String
    /// Milliseconds since the epoch.
    package var createdAt: Int64
    /// The last request seen (for the idle timeout).
    package var lastSeen: Int64
    /// The absolute end of the session.
    package var expiresAt: Int64
    /// Where the sign-in came from.
    package var sourceIP: String?

    package init(
        idHash: String,
        admin: String,
        csrfToken: String,
        createdAt: Int64,
        lastSeen: Int64,
        expiresAt: Int64,
        sourceIP: String?
    ) {
        self.idHash = idHash
        self.admin = admin
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeen = lastSeen
        self.expiresAt = expiresAt
        self.sourceIP = sourceIP
    }
}
