package import CanopyCore

/// Where parsed records go: the snapshot report's ``DiscoveryAggregator``, or ``GrainAggregator`` for the store.
/// Generic, not an existential, so that each sink gets its own specialized per-record loop.
package protocol TrafficSink {
    mutating func add(_ record: TrafficRecord)
}

extension DiscoveryAggregator: TrafficSink {}
