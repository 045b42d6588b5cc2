import CanopyStore
import Foundation
import Logging
import PostgresNIO
import Testing

/// The backends the conformance suite runs against, and a fresh, empty store of each per test.
///
/// PostgreSQL runs when `CANOPY_TEST_POSTGRES_PORT` names a server on 127.0.0.1 that trusts the `postgres` user:
/// scripts/test.sh starts a throw-away cluster and sets it. Each test gets its own database, dropped afterwards.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL when a test server is configured (a note on stderr otherwise).
    static var available: [Backend] {
        if postgresPort != nil { return [.sqlite, .postgres] }
        FileHandle.standardError.write(
            Data("note: CANOPY_TEST_POSTGRES_PORT is not set: the store suite runs on SQLite only\n".utf8)
        )
        return [.sqlite]
    }

    static var postgresPort: Int? {
        ProcessInfo.processInfo.environment["CANOPY_TEST_POSTGRES_PORT"].flatMap(Int.init)
    }

    static func postgresConfiguration(database: String) -> PostgresClient.Configuration {
        PostgresClient.Configuration(
            host: "127.0.0.1",
            port: postgresPort ?? 5432,
            username: "postgres",
            password: nil,
            database: database,
            tls: .disable
        )
    }
}

/// Runs `body` with a fresh store of `backend` (migrated unless `migrated` is false), then removes it.
func withStore(
    _ backend: Backend,
    migrated: Bool = true,
    _ body: (any Store, _ reopen: () async throws -> any Store) async throws -> Void
) async throws {
    switch backend {
    case .sqlite:
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("canopy.sqlite").path
        let store = try SQLiteStore(path: path)
        if migrated { try await store.migrate() }
        try await body(store) { try SQLiteStore(path: path) }
    case .postgres:
        let name = "canopy_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        let admin = PostgresStore.Admin(configuration: Backend.postgresConfiguration(database: "postgres"))
        // From template0: concurrent CREATE DATABASE from template1 fails while another copy of it is in progress.
        try await admin.execute("CREATE DATABASE \(name) TEMPLATE template0")
        var opened: [PostgresStore] = []
        do {
            let store = PostgresStore(configuration: Backend.postgresConfiguration(database: name))
            opened.append(store)
            if migrated { try await store.migrate() }
            try await body(store) {
                let again = PostgresStore(configuration: Backend.postgresConfiguration(database: name))
                opened.append(again)
                return again
            }
        } catch {
            for store in opened { await store.shutdown() }
            try? await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            await admin.shutdown()
            throw error
        }
        for store in opened { await store.shutdown() }
        try await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        await admin.shutdown()
    }
}
