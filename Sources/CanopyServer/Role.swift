/// The admin roles of the reference product, and what each may do (DESIGN.md §7).
package enum Role: String, CaseIterable, Sendable, Codable {
    case globalAdmin = "global-admin"
    case securityAdmin = "security-admin"
    /// Manages alerts; reads everything else.
    case securityOperator = "security-operator"
    /// Reads; changes nothing.
    case securityReader = "security-reader"
    /// Files and file policies; reads discovery.
    case complianceAdmin = "compliance-admin"

    /// Whether the role grants `permission`.
    package func allows(_ permission: Permission) -> Bool {
        switch permission {
        case .readDiscovery, .readAudit, .readAlerts, .readGovernance: true
        case .manageDiscovery: self == .globalAdmin || self == .securityAdmin
        case .manageTokens, .manageAdmins: self == .globalAdmin
        case .managePrivacy: self == .globalAdmin || self == .complianceAdmin
        }
    }
}

/// What a route needs.
package enum Permission: String, Sendable, CaseIterable {
    case readDiscovery = "discovery.read"
    case manageDiscovery = "discovery.manage"
    case readAudit = "audit.read"
    case readAlerts = "alerts.read"
    /// The governance log: what was done to apps, files and accounts.
    case readGovernance = "governance.read"
    case manageTokens = "tokens.manage"
    case manageAdmins = "admins.manage"
    /// Privacy requests: export or erase everything stored about one user.
    case managePrivacy = "privacy.manage"
}
