package import CanopyStore
package import Logging

extension PeriodicService {
    /// Builds the weekly discovery rollups of finished weeks (``Store/buildDiscoveryWeeks(before:now:)``) at start and
    /// then hourly. Dashboard answers do not depend on it, only their speed: a week not built yet is read from its
    /// daily rows. With several nodes on one PostgreSQL each runs it; the store's rollup lock builds a week once.
    package static func discoveryWeeks(
        store: any Store,
        interval: Duration = .seconds(3_600),
        clock: @escaping @Sendable () -> Int64,
        logger: Logger
    ) -> PeriodicService {
        PeriodicService(name: "building weekly discovery rollups", interval: interval, logger: logger) {
            let now = clock()
            let built = try await store.buildDiscoveryWeeks(before: Int32(now / 86_400_000), now: now)
            if built > 0 { logger.info("weekly discovery rollups built", metadata: ["weeks": "\(built)"]) }
        }
    }
}
