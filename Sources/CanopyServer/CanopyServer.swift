package import CanopyCollector
package import CanopyCore
package import CanopyDiscovery
package import CanopyStore
import Crypto
import Foundation
package import Hummingbird
import HummingbirdTLS
package import Logging
package import NIOSSL
import ServiceLifecycle

/// `canopy serve`: opens the data directory and the store, makes sure there is an admin, and serves HTTP.
package struct CanopyServer: Sendable {
    package struct Options: Sendable {
        package var dataDirectory: String
        package var host: String
        package var port: Int
        /// The app catalog continuous discovery matches against; without one the collector does not run.
        package var catalog: AppCatalog?
        /// The formats a data source may name.
        package var parsers: [ParserFactory]
        /// A PEM certificate chain and key for TLS listeners; a self-signed certificate is generated when nil.
        package var tlsCertificatePath: String?
        package var tlsKeyPath: String?
        /// A PostgreSQL URL (``DatabaseURL``) to share the store with other nodes; nil: the data directory's SQLite.
        package var databaseURL: String?
        /// Serve the portal and the API over HTTPS (TLS 1.2+, the TLS certificate above) instead of plain HTTP.
        package var https: Bool
        /// How many files and bytes one snapshot upload may bring.
        package var uploadLimits: UploadLimits
        /// Admin sign-in through the organization's identity provider, besides passwords.
        package var oidc: OIDCConfiguration?
        /// Reverse proxies whose `X-Forwarded-For` names the client (``ForwardedClientAddress``); none by default.
        package var trustedProxies: [IPRange]

        package init(
            dataDirectory: String = "canopy-data",
            host: String = "127.0.0.1",
            port: Int = 8080,
            catalog: AppCatalog? = nil,
            parsers: [ParserFactory] = BuiltinParsers.factories,
            tlsCertificatePath: String? = nil,
            tlsKeyPath: String? = nil,
            databaseURL: String? = nil,
            https: Bool = false,
            uploadLimits: UploadLimits = UploadLimits(),
            oidc: OIDCConfiguration? = nil,
            trustedProxies: [IPRange] = []
        ) {
            self.dataDirectory = dataDirectory
            self.host = host
            self.port = port
            self.catalog = catalog
            self.parsers = parsers
            self.tlsCertificatePath = tlsCertificatePath
            self.tlsKeyPath = tlsKeyPath
            self.databaseURL = databaseURL
            self.https = https
            self.uploadLimits = uploadLimits
            self.oidc = oidc
            self.trustedProxies = trustedProxies
        }
    }

    /// What start-up did, for the operator.
    package struct Startup: Sendable {
        package var dataDirectory: String
        package var createdMasterKey: Bool
        /// The first admin's one-time password, when the admin was created by this start.
        package var firstAdminPassword: String?
    }

    package let options: Options
    package let store: any Store
    package let startup: Startup
    package let metrics = ServerMetrics()
    /// The TLS context of TLS listeners (syslog over TLS).
    package let tls: NIOSSLContext
    /// The same certificate as a configuration, for the HTTPS listener.
    package let tlsConfiguration: TLSConfiguration
    /// The portal's templates and assets, loaded once at start.
    package let renderer: PortalRenderer
    /// Failed sign-ins, per account and client address.
    package let loginThrottle = LoginThrottle()
    /// Snapshot reports being built from uploads on this node.
    package let snapshots: SnapshotJobs
    /// The shipped catalog with the custom apps in the store.
    package let catalog: TenantCatalog
    /// OpenID Connect sign-in, when configured.
    let oidc: PortalOIDC?
    /// Whether user names are anonymized, with the tenant's key.
    let anonymization: ServerAnonymization

    /// Prepares the data directory, the master key, the SQLite store (migrated) and the first admin.
    package static func prepare(_ options: Options) async throws -> CanopyServer {
        let directory = try ServerDataDirectory(path: options.dataDirectory)
        let (masterKey, createdKey) = try directory.masterKey()
        let tlsConfiguration = try ServerCertificate.tlsConfiguration(
            certificatePath: options.tlsCertificatePath,
            keyPath: options.tlsKeyPath,
            directory: directory,
            masterKey: masterKey
        )
        let tls = try NIOSSLContext(configuration: tlsConfiguration)
        let store = try await openStore(directory, databaseURL: options.databaseURL)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let password = try await FirstAdmin.ensure(in: store, now: now)
        let catalog = TenantCatalog(
            shipped: options.catalog ?? AppCatalog(apps: [], categories: [], attributes: [], facts: [])
        )
        let anonymization = ServerAnonymization(store: store, masterKey: SymmetricKey(data: masterKey))
        let processor = SnapshotProcessor(
            tenant: catalog,
            anonymization: anonymization,
            parsers: options.parsers,
            store: store,
            clock: Self.now
        )
        return CanopyServer(
            options: options,
            store: store,
            startup: Startup(dataDirectory: directory.path, createdMasterKey: createdKey, firstAdminPassword: password),
            tls: tls,
            tlsConfiguration: tlsConfiguration,
            renderer: try PortalRenderer(),
            snapshots: SnapshotJobs(
                dataDirectory: directory.path,
                processor: processor,
                logger: Logger(label: "canopy.snapshots")
            ),
            catalog: catalog,
            oidc: options.oidc.map { PortalOIDC(configuration: $0, masterKey: SymmetricKey(data: masterKey)) },
            anonymization: anonymization
        )
    }

    /// The store, migrated: PostgreSQL at `databaseURL` when given (several nodes share it), otherwise the data
    /// directory's SQLite database, private to the server's user (mode 0600).
    package static func openStore(
        _ directory: ServerDataDirectory,
        databaseURL: String? = nil
    ) async throws
        -> any Store
    {
        if let databaseURL {
            let url = try DatabaseURL(databaseURL)
            let store = PostgresStore(configuration: try url.configuration())
            try await store.migrate()
            return store
        }
        try directory.ensurePrivateDatabaseFile()
        let store = try SQLiteStore(path: directory.databasePath)
        try await store.migrate()
        return store
    }

    /// The routes: `/healthz`, `/metrics` (Prometheus), the API (``APIRoutes``).
    package func router(
        clock: @escaping @Sendable () -> Int64 = CanopyServer.now,
        limiter: RateLimiter = RateLimiter()
    ) -> Router<CanopyRequestContext> {
        let router = Router(context: CanopyRequestContext.self)
        if !options.trustedProxies.isEmpty {
            router.add(middleware: ForwardedClientAddress(trusted: options.trustedProxies))
        }
        router.add(middleware: SecurityHeaders())
        router.add(middleware: MetricsRecorder(metrics))
        router.add(middleware: AdminAccessRestriction(store: store))
        let metrics = self.metrics
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.text()))
            )
        }
        let store = self.store
        router.get("/healthz") { _, _ -> Response in
            // Ready when the store answers a read.
            let healthy = (try? await store.adminCount()) != nil
            let body = healthy ? #"{"status":"ok"}"# : #"{"status":"unavailable","reason":"store"}"#
            return Response(
                status: healthy ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: body))
            )
        }
        let formats = Set(options.parsers.map(\.descriptor.id))
        let intake = SnapshotIntake(
            jobs: snapshots,
            uploadsDirectory: URL(fileURLWithPath: startup.dataDirectory).appendingPathComponent("uploads"),
            formats: formats,
            limits: options.uploadLimits,
            clock: clock
        )
        APIRoutes.add(
            to: router,
            store: store,
            clock: clock,
            limiter: limiter,
            formats: formats,
            intake: intake,
            catalog: catalog,
            anonymization: anonymization
        )
        PortalRoutes.add(
            to: router,
            store: store,
            catalog: catalog,
            renderer: renderer,
            clock: clock,
            throttle: loginThrottle,
            intake: intake,
            oidc: oidc,
            anonymization: anonymization
        )
        return router
    }

    /// The anonymization of user names now: nil while it is off.
    package var pseudonymizer: @Sendable () async throws -> (@Sendable (String) -> String)? {
        let anonymization = self.anonymization
        return {
            guard let anonymizer = try await anonymization.current() else { return nil }
            return { anonymizer.token(for: $0) }
        }
    }

    /// Milliseconds since the epoch.
    @Sendable package static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Serves until SIGINT or SIGTERM; `onRunning` gets the bound port (useful with port 0).
    package func run(logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let retention = RetentionService(
            store: store,
            clock: Self.now,
            logger: logger
        )
        let weeks = PeriodicService.discoveryWeeks(store: store, clock: Self.now, logger: logger)
        var services: [any Service] = [retention, weeks, SnapshotJobsService(jobs: snapshots)]
        if options.catalog != nil {
            services.append(
                CollectorService(
                    store: store,
                    catalog: catalog,
                    parsers: options.parsers,
                    configuration: CollectorConfiguration(host: options.host, tls: tls),
                    pseudonymizer: pseudonymizer,
                    clock: Self.now,
                    logger: logger
                )
            )
        }
        let app = Application(
            router: router(),
            server: options.https ? try .tls(.http1(), tlsConfiguration: tlsConfiguration) : .http1(),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "canopy"),
            services: services,
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        try await app.runService()
    }
}
