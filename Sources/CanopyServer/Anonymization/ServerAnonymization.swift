import CanopyDiscovery
package import CanopyStore
package import Crypto
import Foundation
import HTTPTypes
import Synchronization

/// Anonymization in `canopy serve`, as the reference product does it for Cloud Discovery: when on, user names are
/// replaced by deterministic tokens (``Anonymizer``, AES-GCM-SIV) before anything reaches the store — continuous
/// feeds, watched folders, snapshot reports, demo data — so every page and export shows tokens. The tenant's key is
/// created when anonymization is first turned on and kept in the store sealed (AES-GCM) under a key derived from the
/// master key, so every node shares it and the database alone cannot resolve a token. Resolving one needs the
/// privacy permission and a justification, and is audited (``resolve(_:justification:by:from:now:)``).
package final class ServerAnonymization: Sendable {
    static let enabledKey = "discovery.anonymize"
    static let sealedKeyKey = "discovery.anonymization.key"

    private let store: any Store
    private let sealingKey: SymmetricKey
    /// The last key opened, by its sealed text (opening is cheap, but not free on every request).
    private let cache = Mutex<(sealed: String, anonymizer: Anonymizer)?>(nil)

    package init(store: any Store, masterKey: SymmetricKey) {
        self.store = store
        sealingKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: masterKey,
            info: Data("canopy anonymization key v1".utf8),
            outputByteCount: 32
        )
    }

    /// Whether user names are anonymized now.
    func isEnabled() async throws -> Bool { try await store.setting(Self.enabledKey) == "on" }

    /// The anonymizer while anonymization is on, else nil.
    func current() async throws -> Anonymizer? {
        guard try await isEnabled() else { return nil }
        return try await anonymizer()
    }

    /// The tenant's anonymizer (the key exists once anonymization was ever on); nil when there is no key.
    func anonymizer() async throws -> Anonymizer? {
        guard let sealed = try await store.setting(Self.sealedKeyKey) else { return nil }
        if let cached = cache.withLock({ $0 }), cached.sealed == sealed { return cached.anonymizer }
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data),
            let key = try? AES.GCM.open(box, using: sealingKey), let anonymizer = Anonymizer(keyData: key)
        else { throw APIError(.internalServerError, "internal", "the anonymization key cannot be opened") }
        cache.withLock { $0 = (sealed, anonymizer) }
        return anonymizer
    }

    /// Turns anonymization on or off (creating the key the first time), audited. Names already stored stay as they
    /// were: turning it on does not anonymize the past, turning it off does not reveal it.
    func set(enabled: Bool, by actor: String, from address: String?, now: Int64) async throws {
        guard try await isEnabled() != enabled else { return }
        if enabled, try await store.setting(Self.sealedKeyKey) == nil {
            let sealed = try AES.GCM.seal(Anonymizer.generateKey(), using: sealingKey)
            guard let combined = sealed.combined else {
                throw APIError(.internalServerError, "internal", "cannot seal the anonymization key")
            }
            try await store.setSetting(Self.sealedKeyKey, to: combined.base64EncodedString())
        }
        try await store.setSetting(Self.enabledKey, to: enabled ? "on" : nil)
        try await store.appendAudit(
            AuditEntry(
                time: now,
                actor: actor,
                action: "settings.anonymization",
                target: "anonymization",
                detail: enabled ? "user names anonymized from now on" : "user names stored as logged from now on",
                sourceIP: address
            )
        )
    }

    /// The name behind `token`, with the admin's reason recorded in the audit log (the token and the reason, never
    /// the name).
    func resolve(
        _ token: String,
        justification: String,
        by actor: String,
        from address: String?,
        now: Int64
    )
        async throws -> String
    {
        let reason = justification.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count >= 10, reason.count <= 500 else {
            throw APIError.badRequest("a justification of 10 to 500 characters is required")
        }
        guard token.hasPrefix(Anonymizer.prefix), token.count <= 600 else {
            throw APIError.badRequest("the token starts with \(Anonymizer.prefix)")
        }
        let name = try await anonymizer()?.name(for: token)
        try await store.appendAudit(
            AuditEntry(
                time: now,
                actor: actor,
                action: "privacy.deanonymize",
                target: token,
                detail: (name == nil ? "not resolved: " : "resolved: ") + reason,
                sourceIP: address
            )
        )
        guard let name else {
            throw APIError(.notFound, "not-found", "this token was not made with this tenant's key")
        }
        return name
    }

    /// The names a user's data may be stored under: as logged, and as a token (when a key exists).
    func storedNames(of user: String) async throws -> [String] {
        guard !user.hasPrefix(Anonymizer.prefix), let anonymizer = try await anonymizer() else { return [user] }
        return [user, anonymizer.token(for: user)]
    }
}
