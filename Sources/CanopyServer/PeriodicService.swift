package import Logging
import ServiceLifecycle

/// Runs `work` at start and then every `interval`, until graceful shutdown. A round that fails is logged under `name`
/// and the next one runs as planned.
package struct PeriodicService: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Void

    package init(name: String, interval: Duration, logger: Logger, work: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.work = work
    }

    package func run() async throws {
        while !Task.isCancelled {
            do {
                try await work()
            } catch {
                logger.error("\(name) failed", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return  // Shutting down.
            }
        }
    }
}
