/// A named set of address blocks the organization knows (its offices, VPN egress, a cloud provider, a risky
/// network, admin workstations), with a category and tags: the IP address ranges of the reference product's settings.
/// The server validates the blocks, the category and the tags; the store keeps them as given.
package struct IPRangeRecord: Sendable, Hashable {
    /// Given by the store (ignored when creating).
    package var id: Int64
    /// Unique ("HQ Berlin").
    package var name: String
    /// `corporate`, `administrative`, `risky`, `vpn` or `cloud-provider`.
    package var category: String
    /// CIDR blocks (`10.0.0.0/8`, `2001:db8::/32`).
    package var blocks: [String]
    package var tags: [String]
    package var createdBy: String
    package var createdAt: Int64
    package var updatedBy: String
    package var updatedAt: Int64

    package init(
        id: Int64 = 0,
        name: String,
        category: String,
        blocks: [String],
        tags: [String],
        createdBy: String,
        createdAt: Int64,
        updatedBy: String? = nil,
        updatedAt: Int64? = nil
    ) {
        self.id = id
        self.name = name
        self.category = category
        self.blocks = blocks
        self.tags = tags
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedBy = updatedBy ?? createdBy
        self.updatedAt = updatedAt ?? createdAt
    }
}

/// What writing an IP range did.
package enum IPRangeWrite: Sendable, Hashable {
    /// Created or updated: its id.
    case written(Int64)
    /// Another range has that name; nothing changed.
    case nameTaken
    /// No range has that id (updates only).
    case notFound
}
