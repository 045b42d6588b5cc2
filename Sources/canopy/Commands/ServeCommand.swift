import ArgumentParser
import CanopyCollector
import CanopyCore
import CanopyDiscovery
import CanopyServer
import CanopyStore
import Foundation
import Logging

/// `canopy serve`: the long-running server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Canopy server.",
        discussion: """
            Starts with zero configuration: creates the data directory with an SQLite database (WAL) and a master \
            key for secrets, and on first start an admin named "admin" whose one-time password is printed once \
            (it is stored only as a bcrypt hash and must be changed at first sign-in). SIGINT or SIGTERM stops \
            the server gracefully.

              canopy serve                                  # ./canopy-data, http://127.0.0.1:8080
              canopy serve --data /var/lib/canopy --host 0.0.0.0 --port 8443 --https --tls-cert C --tls-key K
              canopy serve --demo                           # also loads samples/discovery into the store
              CANOPY_DATABASE_URL=postgres://canopy@db/canopy canopy serve   # one of several nodes

            It serves GET /healthz, Prometheus /metrics and the token-protected REST API (docs/api.md), and runs \
            continuous Cloud Discovery: every data source (canopy datasource add, or the API) gets its syslog port \
            (UDP, TCP or TLS) on --host, or its watched folder (docs/collector.md).
            """
    )

    @Option(help: "The data directory (created with mode 0700 if missing).")
    var data: String = "canopy-data"

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port, printed at start).")
    var port: Int = 8080

    @Flag(help: "Load the sample discovery logs (once per data directory), so that there is something to look at.")
    var demo = false

    @Option(help: "The logs --demo loads.")
    var demoLogs: String = "samples/discovery"

    @Flag(help: "Serve the portal and the API over HTTPS (TLS 1.2+) with the TLS certificate below.")
    var https = false

    @Option(help: "A PEM certificate chain for TLS listeners (default: a self-signed one, generated once).")
    var tlsCert: String?

    @Option(help: "The PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(
        help: ArgumentHelp(
            "A PostgreSQL URL to share the store with other nodes (default: $CANOPY_DATABASE_URL, else SQLite).",
            discussion: "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]",
            valueName: "url"
        )
    )
    var database: String?

    @Option(
        help: ArgumentHelp(
            "A reverse proxy (address or CIDR) whose X-Forwarded-For names the client; repeat for several.",
            discussion: "Without one, X-Forwarded-For is ignored and the socket's peer is the client."
        )
    )
    var trustedProxy: [String] = []

    @Option(help: "OpenID Connect sign-in for admins: the identity provider's issuer URL (https).")
    var oidcIssuer: String?

    @Option(help: "The client id Canopy is registered with at the identity provider.")
    var oidcClientID: String?

    @Option(
        help: "A file holding the client secret (default: $CANOPY_OIDC_CLIENT_SECRET); it is never stored or logged."
    )
    var oidcClientSecretFile: String?

    @Option(help: "The callback registered with the provider, e.g. https://canopy.example.com/login/oidc/callback.")
    var oidcRedirectURI: String?

    @Option(help: "The ID-token claim that names the Canopy admin: email, preferred_username, upn or sub.")
    var oidcUsernameClaim: String = "email"

    @Flag(help: "Refuse provider sign-ins whose ID token does not say a second factor was used (amr).")
    var oidcRequireMFA = false

    @Option(help: "What the sign-in page calls the provider.")
    var oidcName: String = "your identity provider"

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        for proxy in trustedProxy where IPRange(proxy) == nil {
            throw ValidationError("--trusted-proxy \(proxy) is not an address or a CIDR block")
        }
    }

    func run() async throws {
        let server: CanopyServer
        do {
            let settings = try DataDirectory(path: data).loadSettings()
            let catalog = try CatalogResources.load(override: nil, settings: settings)
            server = try await CanopyServer.prepare(
                .init(
                    dataDirectory: data,
                    host: host,
                    port: port,
                    catalog: catalog,
                    parsers: BuiltinParsers.factories
                        + (try CustomParsers.load(files: [], data: DataDirectory(path: data))),
                    tlsCertificatePath: tlsCert,
                    tlsKeyPath: tlsKey,
                    databaseURL: database ?? ProcessInfo.processInfo.environment["CANOPY_DATABASE_URL"],
                    https: https,
                    oidc: try oidcConfiguration(),
                    trustedProxies: trustedProxy.compactMap { IPRange($0) }
                )
            )
        } catch {
            throw ValidationError("\(error)")
        }
        let startup = server.startup
        if startup.createdMasterKey { Self.say("canopy: created \(startup.dataDirectory) with a new master key") }
        if let password = startup.firstAdminPassword {
            // Printed once, to the operator's terminal — never logged.
            Self.say(
                """
                canopy: first start: admin account "admin" created.
                canopy: one-time password: \(password)
                canopy: it is shown only now and must be changed at first sign-in.
                """
            )
        }
        if demo { try await loadDemo(into: server, catalog: server.options.catalog) }
        var logger = Logger(label: "canopy") { JSONLogHandler(label: $0) }
        logger.logLevel = .notice
        let host = self.host
        let scheme = https ? "https" : "http"
        try await server.run(logger: logger) { port in
            Self.say("canopy: listening on \(scheme)://\(host):\(port)")
        }
    }

    /// The OpenID Connect settings, when `--oidc-issuer` is given.
    private func oidcConfiguration() throws -> OIDCConfiguration? {
        guard let oidcIssuer else { return nil }
        guard let issuer = URL(string: oidcIssuer), let clientID = oidcClientID,
            let redirect = oidcRedirectURI.flatMap(URL.init(string:))
        else { throw ValidationError("--oidc-issuer needs --oidc-client-id and --oidc-redirect-uri") }
        let secret: String
        if let oidcClientSecretFile {
            guard let text = FileManager.default.contents(atPath: oidcClientSecretFile) else {
                throw ValidationError("cannot read \(oidcClientSecretFile)")
            }
            secret = String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            secret = ProcessInfo.processInfo.environment["CANOPY_OIDC_CLIENT_SECRET"] ?? ""
        }
        return try OIDCConfiguration(
            issuer: issuer,
            clientID: clientID,
            clientSecret: secret,
            redirectURI: redirect,
            usernameClaim: oidcUsernameClaim,
            requireMFA: oidcRequireMFA,
            displayName: oidcName
        )
    }

    /// Loads the sample logs into the store the first time `--demo` is given for this data directory.
    private func loadDemo(into server: CanopyServer, catalog: AppCatalog?) async throws {
        let marker = "demo.discovery.loaded"
        if try await server.store.setting(marker) != nil {
            Self.say("canopy: demo: sample logs already loaded")
            return
        }
        guard FileManager.default.fileExists(atPath: demoLogs) else {
            throw ValidationError(
                "--demo: no sample logs at \(demoLogs) (run from the repository, or give --demo-logs)"
            )
        }
        guard let catalog else { return }
        // The samples are old: each log's traffic is moved to end today, so that retention keeps it.
        let today = Int32(Date().timeIntervalSince1970 / 86_400)
        let outcome = try await DiscoveryIngest.ingest(
            paths: [demoLogs],
            catalog: catalog,
            store: server.store,
            pseudonymize: try await server.pseudonymizer(),
            endingOn: today
        )
        for failure in outcome.failures { Console.error("canopy: demo: \(failure)") }
        try await server.store.setSetting(marker, to: demoLogs)
        Self.say(
            "canopy: demo: loaded \(outcome.records) records from \(outcome.sources.count) logs "
                + "(\(outcome.aggregates) day × app × user × IP aggregates), moved to end today"
        )
    }

    /// Writes a line to standard output at once (unbuffered even into a pipe, so supervisors and tests see it).
    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
