import Foundation
import Synchronization

/// A token bucket per client key (an API token's id): `capacity` requests at once, refilled at `perSecond`.
/// A client over its rate is told when to come back (429 with `Retry-After`).
package final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private let capacity: Double
    private let perSecond: Double
    private let buckets = Mutex<[Int64: Bucket]>([:])

    package init(capacity: Int = 120, perSecond: Double = 20) {
        self.capacity = Double(capacity)
        self.perSecond = perSecond
    }

    /// Takes one request from `key`'s bucket at time `now` (seconds).
    ///
    /// - Returns: nil when allowed; otherwise the whole seconds to wait before the next request would be.
    package func take(_ key: Int64, now: Double) -> Int? {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, now - bucket.updated) * perSecond)
            bucket.updated = now
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
        }
    }
}
