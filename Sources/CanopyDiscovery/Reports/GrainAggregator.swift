package import CanopyCore

/// Folds records into the store's grain, (day, catalog app, user, source IP) — DESIGN.md §3.1 and CANOPY-0001 — for
/// `canopy serve`: uploads and syslog feeds are aggregated in memory per batch and added to the store, which sums
/// the batches.
///
/// Only catalog apps are kept at this grain; private destinations are counted apart, unknown destinations per host.
package struct GrainAggregator: TrafficSink, Sendable {
    /// One aggregate's key. `user` and `sourceIP` are empty when the log names none.
    package struct Key: Hashable, Sendable {
        package var day: Int32
        package var app: Int32
        package var user: String
        package var sourceIP: String
    }

    package let matcher: AppMatcher
    package private(set) var cells: [Key: TrafficCounters] = [:]
    /// Traffic to public destinations no catalog rule matches, by host (or address).
    package private(set) var unknown: [String: TrafficCounters] = [:]
    package private(set) var privateTraffic = TrafficCounters()
    /// Records added.
    package private(set) var records = 0

    package init(matcher: AppMatcher) { self.matcher = matcher }

    package mutating func add(_ record: TrafficRecord) {
        records += 1
        switch matcher.match(host: record.destinationHost, ip: record.destinationIP) {
        case .app(let app):
            let key = Key(
                day: record.time.map { Int32(truncatingIfNeeded: $0.dayNumber) } ?? -1,
                app: app,
                user: record.user ?? "",
                sourceIP: record.sourceIP?.description ?? ""
            )
            cells[key, default: TrafficCounters()].add(record)
        case .unknownHost, .unknownIP:
            let name = record.destinationHost ?? record.destinationIP?.description ?? ""
            unknown[name, default: TrafficCounters()].add(record)
        case .privateDestination, .none:
            privateTraffic.add(record)
        }
    }
}
