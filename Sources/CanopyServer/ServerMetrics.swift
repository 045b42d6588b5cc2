package import Hummingbird
import Prometheus

/// Prometheus metrics of one server, served at `/metrics` in the text exposition format: requests by method, route
/// and status, and their durations. A registry per server (not the process-wide `MetricsSystem`), so that tests can
/// run several servers side by side.
package final class ServerMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()

    package init() {}

    private static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "canopy",
            subsystem: "http",
            metricName: "requests",
            unitName: "total",
            helpText: "HTTP requests answered, by method, route and status."
        )
    }

    private static var durations: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "canopy",
            subsystem: "http",
            metricName: "request_duration",
            unitName: "seconds",
            helpText: "Time to answer HTTP requests, by method and route."
        )
    }

    private static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250),
        .milliseconds(1_000), .seconds(5),
    ]

    /// Counts one answered request (`route` is the matched route's pattern, never the raw path, so that ids in
    /// paths do not explode the label set).
    func record(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.requests,
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.durations,
            labels: [("method", method), ("route", route)],
            buckets: Self.buckets
        ).record(duration)
    }

    /// The exposition text.
    package func text() -> String { registry.emitToString() }
}

/// Records every request in ``ServerMetrics``.
package struct MetricsRecorder<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    package init(_ metrics: ServerMetrics) { self.metrics = metrics }

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, response.status.code, start)
            return response
        } catch let error as any HTTPResponseError {
            record(request, context, error.status.code, start)
            throw error
        } catch {
            record(request, context, 500, start)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, _ status: Int, _ start: ContinuousClock.Instant) {
        metrics.record(
            method: request.method.rawValue,
            route: context.endpointPath ?? "unmatched",
            status: status,
            duration: ContinuousClock.now - start
        )
    }
}
