import Foundation
import NIOSSL
package import PostgresNIO

/// A PostgreSQL connection given as a URL, the way operators and PaaS platforms write it:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]` (`postgresql://` too).
/// Without `sslmode`, loopback hosts connect in clear and every other host requires TLS (1.2 or later).
package struct DatabaseURL: Sendable, Equatable {
    package var host: String
    package var port: Int
    package var user: String
    package var password: String?
    package var database: String
    package var tls: Mode

    package enum Mode: String, Sendable {
        case disable, prefer, require
    }

    /// Parses `text`; the error names what is wrong and never repeats the password.
    package init(_ text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql"
        else { throw StoreError("database URL", "expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE") }
        guard let host = components.host, !host.isEmpty else { throw StoreError("database URL", "no host") }
        guard let user = components.user, !user.isEmpty else { throw StoreError("database URL", "no user") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError("database URL", "no database name after the host")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        let loopback = host == "localhost" || host == "::1" || host.hasPrefix("127.")
        if let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value {
            guard let parsed = Mode(rawValue: mode) else {
                throw StoreError("database URL", "sslmode is disable, prefer or require")
            }
            tls = parsed
        } else {
            tls = loopback ? .disable : .require
        }
    }

    /// The PostgresNIO configuration (TLS with certificate verification where asked).
    package func configuration() throws -> PostgresClient.Configuration {
        let tlsMode: PostgresClient.Configuration.TLS
        switch tls {
        case .disable: tlsMode = .disable
        case .prefer: tlsMode = .prefer(try Self.tlsConfiguration())
        case .require: tlsMode = .require(try Self.tlsConfiguration())
        }
        return PostgresClient.Configuration(
            host: host,
            port: port,
            username: user,
            password: password,
            database: database,
            tls: tlsMode
        )
    }

    private static func tlsConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }

    /// The URL without its password, for messages.
    package var redacted: String { "postgres://\(user)@\(host):\(port)/\(database)" }
}
