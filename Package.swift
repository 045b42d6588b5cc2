// swift-tools-version:6.2
import PackageDescription

/// One set of settings for every target (STYLE.md §1). `CANOPY_WERROR=1` (set by scripts/test.sh and CI) turns
/// our warnings into errors without touching dependencies.
let swiftSettings: [SwiftSetting] =
    [
        .swiftLanguageMode(.v6),
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ] + (Context.environment["CANOPY_WERROR"] == "1" ? [.treatAllWarnings(as: .error)] : [])

let package = Package(
    name: "canopy",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "canopy", targets: ["canopy"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Pure: the data model, IP types, diagnostics, field catalog, time.
        .target(name: "CanopyCore", swiftSettings: swiftSettings),
        // Pure: parsers, catalog, matcher, scoring, aggregation, reports, block lists, anonymizer.
        .target(
            name: "CanopyDiscovery",
            dependencies: [
                "CanopyCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // System zlib, for streaming .gz input.
        .systemLibrary(name: "CCanopyZlib"),
        // IO: reading log files, directories, stdin, .gz and .zip as a stream of lines; continuous discovery
        // (syslog over UDP, TCP and TLS, watched folders) into the store.
        .target(
            name: "CanopyCollector",
            dependencies: [
                "CanopyCore",
                "CanopyDiscovery",
                "CanopyStore",
                "CCanopyZlib",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "canopy",
            dependencies: [
                "CanopyCore",
                "CanopyDiscovery",
                "CanopyCollector",
                "CanopyServer",
                "CanopyStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.copy("Resources/catalog")],
            swiftSettings: swiftSettings
        ),
        // Benchmarks (not tests): realistic log generator, the discovery benchmark against GoAccess and mawk, and the
        // dashboard benchmark beside the sqlite3 CLI.
        .executableTarget(
            name: "canopy-bench",
            dependencies: [
                "CanopyCore", "CanopyDiscovery", "CanopyCollector", "CanopyStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/CanopyBenchmarks",
            swiftSettings: swiftSettings
        ),
        // IO: the Store protocol and its SQLite (GRDB) and PostgreSQL (PostgresNIO) backends with frozen migrations.
        .target(
            name: "CanopyStore",
            dependencies: [
                "CanopyCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // IO: `canopy serve` — the data directory, the first admin, the HTTP server (Hummingbird).
        .target(
            name: "CanopyServer",
            dependencies: [
                "CanopyCore", "CanopyStore", "CanopyDiscovery", "CanopyCollector",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/openapi.json"), .copy("Resources/portal")],
            swiftSettings: swiftSettings
        ),
        // Shared test helpers: golden files, fixture locations.
        .target(
            name: "CanopyTesting",
            dependencies: ["CanopyCore", "CanopyDiscovery"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CanopyCoreTests",
            dependencies: [
                "CanopyCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CanopyDiscoveryTests",
            dependencies: [
                "CanopyCore", "CanopyDiscovery", "CanopyTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CanopyStoreTests",
            dependencies: [
                "CanopyCore", "CanopyStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CanopyServerTests",
            dependencies: [
                "CanopyCore", "CanopyStore", "CanopyServer", "CanopyDiscovery", "CanopyCollector", "CanopyTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CanopyCollectorTests",
            dependencies: [
                "CanopyCore", "CanopyDiscovery", "CanopyCollector", "CanopyTesting", "CanopyStore",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
