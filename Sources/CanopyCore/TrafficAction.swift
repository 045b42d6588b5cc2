/// Whether the appliance let a request through.
package enum TrafficAction: String, Sendable, Hashable, Codable, CaseIterable {
    case allowed
    case blocked
}
