import Crypto
import Foundation

/// Secrets of the portal: session cookies and CSRF tokens (256 random bits each, base64url), compared in constant
/// time.
enum PortalSecrets {
    /// A fresh random secret.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Whether two secrets are equal, in time that does not depend on where they differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

/// How long a portal session lives: it ends after `idle` without a request or `absolute` after sign-in, whichever
/// comes first (milliseconds).
package struct SessionPolicy: Sendable {
    package var idle: Int64
    package var absolute: Int64

    package init(idle: Int64 = 30 * 60_000, absolute: Int64 = 12 * 3_600_000) {
        self.idle = idle
        self.absolute = absolute
    }
}
