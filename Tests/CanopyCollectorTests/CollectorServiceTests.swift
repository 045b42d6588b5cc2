import CanopyCollector
import CanopyCore
import CanopyDiscovery
import CanopyStore
import CanopyTesting
import Foundation
import Glibc
import Logging
import NIOSSL
import Synchronization
import Testing

/// Continuous discovery end to end: data sources in a real store, real senders (`logger`, rsyslog, `openssl
/// s_client`) on loopback, and every line accounted for.
@Suite(.serialized) struct CollectorServiceTests {
    /// Squid lines from the shipped sample, plus lines no parser reads: each must be counted as rejected.
    static let garbage = ["this is not a squid line", "GET / HTTP/1.1 from nowhere", "1767225600.985 truncated"]

    struct Fixture {
        let dir: URL
        let store: SQLiteStore
        let catalog = TestCatalog.small()
        let logFile: URL
        let lines: Int

        init() async throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("canopy-collector-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            store = try SQLiteStore(path: dir.appendingPathComponent("store.sqlite").path)
            try await store.migrate()
            let sample = try Self.sampleLines(count: 400)
            let all = sample + CollectorServiceTests.garbage
            logFile = dir.appendingPathComponent("squid.log")
            try (all.joined(separator: "\n") + "\n").write(to: logFile, atomically: true, encoding: .utf8)
            lines = all.count
        }

        static func sampleLines(count: Int) throws -> [String] {
            let gz = FixturePaths.repositoryRoot.appendingPathComponent("samples/discovery/squid-access.log.gz")
            let text = try CollectorServiceTests.run("/bin/sh", ["-c", "zcat '\(gz.path)' | head -\(count)"])
            return text.split(separator: "\n").map(String.init)
        }

        func service(
            tls: NIOSSLContext? = nil,
            pseudonymizer: (@Sendable () async throws -> (@Sendable (String) -> String)?)? = nil,
            flushInterval: Duration = .seconds(10),
            clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
        ) -> CollectorService {
            CollectorService(
                store: store,
                catalog: TenantCatalog(shipped: catalog),
                configuration: CollectorConfiguration(
                    host: "127.0.0.1",
                    tls: tls,
                    interval: .milliseconds(200),
                    flushInterval: flushInterval,
                    folderSettleMilliseconds: 0
                ),
                pseudonymizer: pseudonymizer,
                clock: clock,
                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
            )
        }

        func add(
            _ name: String,
            _ transport: DataSource.Transport,
            port: Int? = nil,
            path: String? = nil
        ) async throws
            -> Int64
        {
            let source = DataSource(
                name: name,
                format: "squid.native",
                transport: transport,
                port: port,
                path: path,
                createdBy: "test",
                createdAt: Int64(Date().timeIntervalSince1970 * 1000)
            )
            return try #require(try await store.createDataSource(source))
        }

        /// What the same file gives when read as a file (the snapshot path), per app: transactions and bytes.
        func reference() async throws -> [String: [Int64]] {
            let reference = try SQLiteStore(path: dir.appendingPathComponent("reference.sqlite").path)
            try await reference.migrate()
            _ = try await DiscoveryIngest.ingest(
                paths: [logFile.path],
                catalog: catalog,
                store: reference,
                format: Self.squid
            )
            return try await Self.perApp(reference)
        }

        static let squid = BuiltinParsers.factories.first { $0.descriptor.id == "squid.native" }

        static func perApp(_ store: any Store, dataSource: Int64? = nil) async throws -> [String: [Int64]] {
            var out: [String: [Int64]] = [:]
            for app in try await store.discoveryByApp(days: 0...100_000, dataSource: dataSource) {
                out[app.app] = [app.transactions, app.bytesUp, app.bytesDown, app.blocked]
            }
            return out
        }

        func cleanUp() { try? FileManager.default.removeItem(at: dir) }
    }

    @Test func syslogFromLoggerRsyslogAndOpenSSLOverUDPTCPAndTLSIsStoredAndEveryLineCounted() async throws {
        let fixture = try await Fixture()
        defer { fixture.cleanUp() }
        let tls = try Self.selfSignedTLS(in: fixture.dir)
        let ports = (0..<5).map { _ in Self.freePort() }
        let octet = try await fixture.add("logger-octet-5424", .tcp, port: ports[0])
        let newline = try await fixture.add("logger-newline-3164", .tcp, port: ports[1])
        let udp = try await fixture.add("logger-udp", .udp, port: ports[2])
        let overTLS = try await fixture.add("openssl-tls", .tls, port: ports[3])
        let relay = try await fixture.add("rsyslog-relay", .tcp, port: ports[4])
        let service = fixture.service(tls: tls)
        await service.pass()
        for id in [octet, newline, udp, overTLS, relay] { #expect(await service.port(of: id) != nil) }

        let file = fixture.logFile.path
        _ = try Self.run(
            "/usr/bin/logger",
            ["-n", "127.0.0.1", "-P", "\(ports[0])", "-T", "--octet-count", "--rfc5424", "-t", "squid", "-f", file]
        )
        _ = try Self.run(
            "/usr/bin/logger",
            ["-n", "127.0.0.1", "-P", "\(ports[1])", "-T", "--rfc3164", "-t", "squid", "-f", file]
        )
        _ = try Self.run(
            "/usr/bin/logger",
            ["-n", "127.0.0.1", "-P", "\(ports[2])", "-d", "--rfc3164", "-t", "squid", "-f", file]
        )
        _ = try Self.run(
            "/usr/bin/openssl",
            ["s_client", "-connect", "127.0.0.1:\(ports[3])", "-nocommands", "-no_ign_eof", "-tls1_2"],
            stdin: file
        )
        let rsyslog = fixture.dir.appendingPathComponent("rsyslog").path
        _ = try Self.run(
            FixturePaths.repositoryRoot.path + "/scripts/collector/rsyslog.sh",
            ["send", rsyslog, file, "\(ports[4])"]
        )
        defer {
            _ = try? Self.run(FixturePaths.repositoryRoot.path + "/scripts/collector/rsyslog.sh", ["stop", rsyslog])
        }

        let ids = [octet, newline, udp, overTLS, relay]
        let deadline = Date().addingTimeInterval(30)
        var intakes: [Int64: DataSourceIntake] = [:]
        while Date() < deadline {
            await service.pass()
            intakes = try await fixture.store.intakes()
            if ids.allSatisfy({ intakes[$0]?.lines ?? 0 >= Int64(fixture.lines) }) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        await service.stopAll()
        let sources = try await fixture.store.dataSources()
        for id in ids {
            let name = sources.first { $0.id == id }?.name ?? "?"
            let intake = try #require(intakes[id], "\(name)")
            #expect(intake.lines == Int64(fixture.lines), "\(name): \(intake)")
            #expect(intake.records == Int64(fixture.lines - Self.garbage.count), "\(name): \(intake)")
            #expect(intake.rejected == Int64(Self.garbage.count), "\(name): \(intake)")
            #expect(intake.lines == intake.records + intake.ignored + intake.rejected, "\(name)")
            #expect(intake.lastReceivedAt != nil)
        }
        // Five sources sent the same file: the store holds five times what reading the file gives, app by app.
        let reference = try await fixture.reference()
        let collected = try await Fixture.perApp(fixture.store)
        #expect(!reference.isEmpty)
        #expect(collected == reference.mapValues { $0.map { $0 * 5 } })
        // …and each source's continuous report holds exactly what it received: the file once.
        for id in ids {
            let name = sources.first { $0.id == id }?.name ?? "?"
            #expect(try await Fixture.perApp(fixture.store, dataSource: id) == reference, "\(name)")
        }
    }

    @Test func aSourceThatGoesQuietIsWrittenAtTheNextPassNotAtTheFlushInterval() async throws {
        let fixture = try await Fixture()
        defer { fixture.cleanUp() }
        let port = Self.freePort()
        let id = try await fixture.add("burst", .tcp, port: port)
        let service = fixture.service(flushInterval: .seconds(3_600))
        await service.pass(forceFlush: false)
        _ = try Self.run(
            "/usr/bin/logger",
            [
                "-n", "127.0.0.1", "-P", "\(port)", "-T", "--octet-count", "--rfc5424", "-t", "squid", "-f",
                fixture.logFile.path,
            ]
        )
        let deadline = Date().addingTimeInterval(10)
        while await service.statistics(of: id)?.lines ?? 0 < fixture.lines, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(await service.statistics(of: id)?.lines == fixture.lines)
        // Still arriving as far as this pass knows: the hour-long flush interval holds the write back…
        await service.pass(forceFlush: false)
        #expect(try await fixture.store.intakes()[id]?.lines ?? 0 == 0)
        // …and a pass that sees nothing new writes the burst, once.
        await service.pass(forceFlush: false)
        #expect(try await fixture.store.intakes()[id]?.lines == Int64(fixture.lines))
        #expect(try await Fixture.perApp(fixture.store, dataSource: id) == fixture.reference())
        await service.pass(forceFlush: false)
        #expect(try await fixture.store.intakes()[id]?.lines == Int64(fixture.lines))
        await service.stopAll()
    }

    @Test func aWatchedFolderReadsSettledFilesOnceArchivesThemAndCountsADamagedOne() async throws {
        let fixture = try await Fixture()
        defer { fixture.cleanUp() }
        let folder = fixture.dir.appendingPathComponent("drop")
        let id = try await fixture.add("drop", .folder, path: folder.path)
        let service = fixture.service()
        await service.pass()
        try FileManager.default.copyItem(at: fixture.logFile, to: folder.appendingPathComponent("a.log"))
        // A gzip header with a damaged stream behind it: unreadable as a whole, counted once, kept in failed/.
        try Data([0x1f, 0x8b, 0x08, 0x00] + Array("damaged beyond repair".utf8)).write(
            to: folder.appendingPathComponent("b.log.gz")
        )
        for _ in 0..<3 { await service.pass() }
        let intake = try #require(try await fixture.store.intakes()[id])
        #expect(intake.lines == Int64(fixture.lines + 1))
        #expect(intake.records == Int64(fixture.lines - Self.garbage.count))
        #expect(intake.reasons["rejected:unreadable-input"] == 1)
        let manager = FileManager.default
        #expect(manager.fileExists(atPath: folder.appendingPathComponent("processed/a.log").path))
        #expect(manager.fileExists(atPath: folder.appendingPathComponent("failed/b.log.gz").path))
        #expect(!manager.fileExists(atPath: folder.appendingPathComponent("a.log").path))
        let reference = try await fixture.reference()
        #expect(try await Fixture.perApp(fixture.store) == reference)
        #expect(try await Fixture.perApp(fixture.store, dataSource: id) == reference)
        // Read once: more passes add nothing.
        await service.pass()
        #expect(try await fixture.store.intakes()[id]?.lines == Int64(fixture.lines + 1))
    }

    @Test func aSourceSilentFor48HoursIsDisconnectedAndRaisesOneSystemAlert() async throws {
        let fixture = try await Fixture()
        defer { fixture.cleanUp() }
        let now = Mutex<Int64>(1_800_000_000_000)
        let source = DataSource(
            name: "quiet",
            format: "squid.native",
            transport: .folder,
            path: fixture.dir.appendingPathComponent("quiet").path,
            createdBy: "test",
            createdAt: 1_800_000_000_000
        )
        let id = try #require(try await fixture.store.createDataSource(source))
        let service = fixture.service(clock: { now.withLock { $0 } })
        await service.pass()
        #expect(try await fixture.store.alerts(before: nil, limit: 10).isEmpty)
        now.withLock { $0 += 25 * 3_600_000 }
        var stored = source
        stored.id = id
        #expect(DataSourceHealth(source: stored, intake: nil, now: now.withLock { $0 }).status == .disconnected)
        now.withLock { $0 += 24 * 3_600_000 }
        await service.pass()
        await service.pass()
        now.withLock { $0 += 3_600_000 }
        await service.pass()
        let alerts = try await fixture.store.alerts(before: nil, limit: 10)
        #expect(alerts.count == 1)
        #expect(alerts.first?.alert.kind == "datasource.silent")
        #expect(alerts.first?.alert.entity == "datasource:\(id)")
    }

    @Test func removingASourceStopsItsListenerAndABusyPortIsReported() async throws {
        let fixture = try await Fixture()
        defer { fixture.cleanUp() }
        let port = Self.freePort()
        let id = try await fixture.add("short-lived", .tcp, port: port)
        let service = fixture.service()
        await service.pass()
        #expect(Self.canConnect(port))
        _ = try await fixture.store.deleteDataSource(id: id)
        await service.pass()
        #expect(!Self.canConnect(port))

        // A port something else holds: the source reports why it is not running.
        let holder = try #require(Self.listen(port))
        defer { close(holder) }
        let busy = try await fixture.add("busy", .tcp, port: port)
        await service.pass()
        #expect(await service.port(of: busy) == nil)
        let error = try await fixture.store.setting("datasource.error.\(busy)")
        #expect(error?.isEmpty == false)
        await service.stopAll()
    }

    // MARK: Helpers

    /// Runs a program to its end and returns its standard output; `stdin` is a file to feed it.
    @discardableResult
    static func run(_ path: String, _ arguments: [String], stdin: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        if let stdin { process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdin)) }
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// A TLS context from a certificate that `openssl req` makes (a real peer's certificate, not ours).
    static func selfSignedTLS(in dir: URL) throws -> NIOSSLContext {
        let cert = dir.appendingPathComponent("tls.crt").path
        let key = dir.appendingPathComponent("tls.key").path
        try run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                "-out", cert, "-days", "1", "-subj", "/CN=localhost",
            ]
        )
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        )
        configuration.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: configuration)
    }

    /// A loopback port free for TCP and UDP right now.
    static func freePort() -> Int {
        for _ in 0..<50 {
            let fd = listen(0)
            guard let fd else { continue }
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            close(fd)
            let port = Int(UInt16(bigEndian: address.sin_port))
            let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            defer { close(udp) }
            if bind(udp, port) { return port }
        }
        return 0
    }

    /// A TCP socket listening on 127.0.0.1:`port` (0: any), or nil. `SO_REUSEADDR` lets it bind over the
    /// TIME_WAIT that a just-closed connection leaves on the port (as every server does); Linux still refuses it
    /// while another socket listens there.
    static func listen(_ port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var on: Int32 = 1
        guard fd >= 0, setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size)) == 0,
            bind(fd, port), Glibc.listen(fd, 1) == 0
        else {
            close(fd)
            return nil
        }
        return fd
    }

    static func bind(_ fd: Int32, _ port: Int) -> Bool {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
