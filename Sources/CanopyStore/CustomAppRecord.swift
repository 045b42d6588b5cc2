/// A tenant's own app (an internal tool, a niche SaaS the catalog lacks): matched by its domains and IP ranges before
/// the shipped catalog, with an optional fixed risk score. The server validates every field; the store keeps them as
/// given.
package struct CustomAppRecord: Sendable, Hashable {
    /// Stable slug (`acme-erp`): the key discovery data is stored under. Never a shipped catalog app's id.
    package var id: String
    package var name: String
    package var vendor: String?
    /// A catalog category id.
    package var category: String
    /// Domain suffixes (`erp.acme.example` matches it and its subdomains), lowercase ASCII.
    package var domains: [String]
    /// CIDR blocks.
    package var ipRanges: [String]
    /// A fixed score 0–10 (a score override of the app's own settings wins over it); `nil`: the catalog's default.
    package var score: Double?
    /// The admin's note (why the app exists, why this score).
    package var note: String
    package var createdBy: String
    package var createdAt: Int64
    package var updatedBy: String
    package var updatedAt: Int64

    package init(
        id: String,
        name: String,
        vendor: String? = nil,
        category: String,
        domains: [String],
        ipRanges: [String] = [],
        score: Double? = nil,
        note: String = "",
        createdBy: String,
        createdAt: Int64,
        updatedBy: String? = nil,
        updatedAt: Int64? = nil
    ) {
        self.id = id
        self.name = name
        self.vendor = vendor
        self.category = category
        self.domains = domains
        self.ipRanges = ipRanges
        self.score = score
        self.note = note
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedBy = updatedBy ?? createdBy
        self.updatedAt = updatedAt ?? createdAt
    }
}
