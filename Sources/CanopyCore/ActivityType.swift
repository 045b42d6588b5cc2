/// The normalized kind of an ``Activity``: one closed vocabulary across every app, so that a policy written for
/// "download" or "failed login" applies to all of them. Raw values are stable (they are stored and filtered on).
package enum ActivityType: String, Sendable, Hashable, Codable, CaseIterable {
    case login
    case failedLogin = "failed_login"
    case logout
    case mfaChallenge = "mfa_challenge"
    case view
    case download
    case upload
    case create
    case modify
    case delete
    case share
    case unshare
    case permissionChange = "permission_change"
    case adminChange = "admin_change"
    case passwordChange = "password_change"
    case userCreate = "user_create"
    case userDelete = "user_delete"
    case mailboxRule = "mailbox_rule"
    case send
    case vmCreate = "vm_create"
    case vmDelete = "vm_delete"
    case keyCreate = "key_create"
    /// An event the mapper knows but that fits none of the kinds above (see ``Activity/rawEventName``).
    case other
}
