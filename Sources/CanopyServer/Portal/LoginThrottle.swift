import Synchronization

/// Login rate limiting: after `limit` failed sign-ins for one account name, or `limit × 4` from one client address,
/// within `window` seconds, further attempts for that key are refused (429 with `Retry-After`) until the window of
/// the oldest failure has passed. A successful sign-in clears the account's failures.
///
/// Kept in memory per node: with several nodes an attacker gets at most `limit` tries per node and window, still far
/// too few for guessing, while bcrypt makes each try slow.
package final class LoginThrottle: Sendable {
    private let limit: Int
    private let window: Double
    private let failures = Mutex<[String: [Double]]>([:])

    package init(limit: Int = 5, window: Double = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    private func keys(user: String, address: String?) -> [(String, Int)] {
        [("user:" + user.lowercased(), limit), ("ip:" + (address ?? "-"), limit * 4)]
    }

    /// Seconds to wait before another attempt for `user` from `address`, or nil when an attempt is allowed now.
    package func retryAfter(user: String, address: String?, now: Double) -> Int? {
        failures.withLock { failures in
            var wait: Double?
            for (key, max) in keys(user: user, address: address) {
                let recent = (failures[key] ?? []).filter { now - $0 < window }
                failures[key] = recent.isEmpty ? nil : recent
                if recent.count >= max, let oldest = recent.first {
                    wait = Swift.max(wait ?? 0, oldest + window - now)
                }
            }
            return wait.map { Swift.max(1, Int($0.rounded(.up))) }
        }
    }

    /// Counts a failed sign-in.
    package func recordFailure(user: String, address: String?, now: Double) {
        failures.withLock { failures in
            for (key, _) in keys(user: user, address: address) { failures[key, default: []].append(now) }
        }
    }

    /// Forgets the account's failures after a successful sign-in.
    package func recordSuccess(user: String) {
        _ = failures.withLock { $0.removeValue(forKey: "user:" + user.lowercased()) }
    }
}
