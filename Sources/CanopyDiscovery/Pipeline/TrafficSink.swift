package import CanopyCore

/// Where parsed records go: the snapshot report's ``DiscoveryAggregator``, or ``GrainAggregator`` for the store.
/// Generic, not an existential, so that each sink gets its own specialized per-record loop.
package protocol TrafficSink {
    mutating func add(_ record: TrafficRecord)

    /// The symbol tables to parse this sink's records with, so that records reach it with dense ids for their host
    /// and user (``RecordSymbols``); nil (the default) for a sink that keys nothing by them.
    var symbols: FieldSymbols? { get }
}

extension TrafficSink {
    package var symbols: FieldSymbols? { nil }
}

extension DiscoveryAggregator: TrafficSink {}
