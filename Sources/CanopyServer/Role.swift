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
    /// Reads and tags only the apps in its scope (``Principal/apps``), and sees their governance log; nothing
    /// organization-wide (dashboard, users, IPs, snapshots, data sources, settings, audit log, alerts).
    case appAdmin = "app-admin"

    /// Whether the role grants `permission`.
    package func allows(_ permission: Permission) -> Bool {
        switch permission {
        case .readApps, .readGovernance: true
        case .readDiscovery, .readAudit, .readAlerts: self != .appAdmin
        case .tagApps: self == .globalAdmin || self == .securityAdmin || self == .appAdmin
        case .manageDiscovery: self == .globalAdmin || self == .securityAdmin
        case .manageTokens, .manageAdmins: self == .globalAdmin
        case .managePrivacy: self == .globalAdmin || self == .complianceAdmin
        }
    }
}

/// What a route needs.
package enum Permission: String, Sendable, CaseIterable {
    /// Organization-wide Cloud Discovery data: totals, users, IPs, snapshots, data sources, settings.
    case readDiscovery = "discovery.read"
    /// Per-app data (discovered apps, their tags, the catalog), limited to an app admin's apps.
    case readApps = "apps.read"
    /// Sanctioning, unsanctioning and tagging apps (an app admin: only its own).
    case tagApps = "apps.tag"
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
