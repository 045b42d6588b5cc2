import CanopyCollector
import CanopyStore
import Testing

/// What makes a data source valid, and how its health follows from when it last received something.
@Suite struct DataSourceRulesTests {
    static let formats: Set<String> = ["squid.native", "cisco.asa"]
    static let hour: Int64 = 3_600_000
    static let created: Int64 = 1_767_225_600_000

    static func source(
        id: Int64 = 1,
        _ name: String,
        _ transport: DataSource.Transport,
        port: Int? = nil,
        path: String? = nil
    ) -> DataSource {
        DataSource(
            id: id,
            name: name,
            format: "squid.native",
            transport: transport,
            port: port,
            path: path,
            createdBy: "admin",
            createdAt: created
        )
    }

    /// The validation error's text for `draft`, or nil when it is valid.
    static func error(_ draft: DataSourceDraft, existing: [DataSource] = []) -> String? {
        do {
            _ = try draft.validated(existing: existing, formats: formats, by: "admin", at: created)
            return nil
        } catch {
            return String(describing: error)
        }
    }

    static func expectRejected(
        _ draft: DataSourceDraft,
        existing: [DataSource] = [],
        saying text: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let message = error(draft, existing: existing)
        #expect(message != nil, "\(draft) should be rejected", sourceLocation: sourceLocation)
        if let message {
            #expect(
                message.contains(text),
                "\(message.debugDescription) should say \(text)",
                sourceLocation: sourceLocation
            )
        }
    }

    // MARK: Validation

    @Test func aValidSyslogDraftBecomesASource() throws {
        let source = try DataSourceDraft(name: "hq-squid_1.a", format: "squid.native", transport: .tcp, port: 5514)
            .validated(existing: [], formats: Self.formats, by: "alice", at: Self.created)
        #expect(source.name == "hq-squid_1.a")
        #expect(source.format == "squid.native")
        #expect(source.transport == .tcp)
        #expect(source.port == 5514)
        #expect(source.path == nil)
        #expect(source.createdBy == "alice")
        #expect(source.createdAt == Self.created)
    }

    @Test func aValidFolderDraftBecomesASource() throws {
        let source = try DataSourceDraft(name: "drop", format: "cisco.asa", transport: .folder, path: "/var/log/drop")
            .validated(existing: [], formats: Self.formats, by: "alice", at: Self.created)
        #expect(source.transport == .folder)
        #expect(source.path == "/var/log/drop")
        #expect(source.port == nil)
    }

    @Test(arguments: ["", String(repeating: "a", count: 65), "has space", "slash/name", "émoji", "semi;colon", "a:b"])
    func badNamesAreRejected(name: String) {
        Self.expectRejected(
            DataSourceDraft(name: name, format: "squid.native", transport: .udp, port: 514),
            saying: "name"
        )
    }

    @Test func aNameOf64CharactersIsAllowed() {
        let draft = DataSourceDraft(
            name: String(repeating: "a", count: 64),
            format: "squid.native",
            transport: .udp,
            port: 514
        )
        #expect(Self.error(draft) == nil)
    }

    @Test func anUnknownFormatIsRejected() {
        Self.expectRejected(
            DataSourceDraft(name: "x", format: "no.such.format", transport: .udp, port: 514),
            saying: "unknown format no.such.format"
        )
    }

    @Test(arguments: [DataSource.Transport.udp, .tcp, .tls], [nil, 0, -1, 65_536, 100_000] as [Int?])
    func aSyslogSourceNeedsAPortInRange(transport: DataSource.Transport, port: Int?) {
        Self.expectRejected(
            DataSourceDraft(name: "x", format: "squid.native", transport: transport, port: port),
            saying: "port"
        )
    }

    @Test func portsAtTheEndsOfTheRangeAreAllowed() {
        #expect(Self.error(DataSourceDraft(name: "a", format: "squid.native", transport: .udp, port: 1)) == nil)
        #expect(Self.error(DataSourceDraft(name: "b", format: "squid.native", transport: .tcp, port: 65_535)) == nil)
    }

    @Test func aSyslogSourceHasNoFolder() {
        Self.expectRejected(
            DataSourceDraft(name: "x", format: "squid.native", transport: .tcp, port: 514, path: "/var/log"),
            saying: "no folder"
        )
    }

    @Test(arguments: [nil, "", "relative/path", "var/log", "/var/../etc", "/var/log/..", "../logs"] as [String?])
    func aFolderSourceNeedsAnAbsolutePathWithoutDotDot(path: String?) {
        Self.expectRejected(
            DataSourceDraft(name: "x", format: "squid.native", transport: .folder, path: path),
            saying: "absolute folder path"
        )
    }

    @Test func aFolderSourceHasNoPort() {
        Self.expectRejected(
            DataSourceDraft(name: "x", format: "squid.native", transport: .folder, port: 514, path: "/var/log"),
            saying: "no port"
        )
    }

    @Test func aDuplicateNameIsRejected() {
        Self.expectRejected(
            DataSourceDraft(name: "hq", format: "squid.native", transport: .folder, path: "/srv/other"),
            existing: [Self.source("hq", .udp, port: 514)],
            saying: "named hq exists"
        )
    }

    @Test(arguments: [
        (DataSource.Transport.tcp, DataSource.Transport.tls), (.tls, .tcp), (.tcp, .tcp), (.tls, .tls), (.udp, .udp),
    ])
    func aPortIsUsedByOneUDPAndOneStreamSourceAtMost(existing: DataSource.Transport, new: DataSource.Transport) {
        Self.expectRejected(
            DataSourceDraft(name: "second", format: "squid.native", transport: new, port: 6514),
            existing: [Self.source("first", existing, port: 6514)],
            saying: "used by data source first"
        )
    }

    @Test(arguments: [(DataSource.Transport.udp, DataSource.Transport.tcp), (.tcp, .udp), (.udp, .tls), (.tls, .udp)])
    func udpAndAStreamTransportMayShareAPortNumber(existing: DataSource.Transport, new: DataSource.Transport) {
        let draft = DataSourceDraft(name: "second", format: "squid.native", transport: new, port: 514)
        #expect(Self.error(draft, existing: [Self.source("first", existing, port: 514)]) == nil)
    }

    @Test func aFolderWatchedTwiceIsRejected() {
        Self.expectRejected(
            DataSourceDraft(name: "second", format: "squid.native", transport: .folder, path: "/srv/drop"),
            existing: [Self.source("first", .folder, path: "/srv/drop")],
            saying: "watched by data source first"
        )
    }

    @Test func differentFoldersAndPortsDoNotConflict() {
        let existing = [Self.source("first", .folder, path: "/srv/drop"), Self.source(id: 2, "udp", .udp, port: 514)]
        #expect(
            Self.error(
                DataSourceDraft(name: "second", format: "squid.native", transport: .folder, path: "/srv/drop2"),
                existing: existing
            ) == nil
        )
        #expect(
            Self.error(
                DataSourceDraft(name: "third", format: "squid.native", transport: .udp, port: 515),
                existing: existing
            ) == nil
        )
    }

    // MARK: Health

    static func health(receivedAgo: Int64?, createdAgo: Int64, now: Int64 = created + 1_000 * hour) -> DataSourceHealth
    {
        var source = Self.source("hq", .udp, port: 514)
        source.createdAt = now - createdAgo
        let intake = receivedAgo.map { DataSourceIntake(lines: 1, lastReceivedAt: now - $0) }
        return DataSourceHealth(source: source, intake: intake, now: now)
    }

    @Test func aNewSourceThatNeverReceivedIsWaiting() {
        let health = Self.health(receivedAgo: nil, createdAgo: 2 * Self.hour)
        #expect(health.status == .waiting)
        #expect(!health.needsAlert)
        #expect(Self.health(receivedAgo: nil, createdAgo: 24 * Self.hour - 1).status == .waiting)
    }

    @Test func aSourceWithoutIntakeCountersIsWaitingToo() {
        var source = Self.source("hq", .udp, port: 514)
        source.createdAt = Self.created
        let health = DataSourceHealth(source: source, intake: DataSourceIntake(), now: Self.created + Self.hour)
        #expect(health.status == .waiting)
        #expect(health.silentSince == Self.created)
    }

    @Test func aSourceThatReceivedAnHourAgoIsConnected() {
        let health = Self.health(receivedAgo: Self.hour, createdAgo: 500 * Self.hour)
        #expect(health.status == .connected)
        #expect(!health.needsAlert)
    }

    @Test func aSourceSilentFor24HoursIsDisconnected() {
        #expect(Self.health(receivedAgo: 24 * Self.hour - 1, createdAgo: 500 * Self.hour).status == .connected)
        let silent = Self.health(receivedAgo: 24 * Self.hour, createdAgo: 500 * Self.hour)
        #expect(silent.status == .disconnected)
        #expect(!silent.needsAlert)
        let neverReceived = Self.health(receivedAgo: nil, createdAgo: 24 * Self.hour)
        #expect(neverReceived.status == .disconnected)
        #expect(!neverReceived.needsAlert)
    }

    @Test func silenceOf48HoursNeedsAnAlert() {
        #expect(!Self.health(receivedAgo: 48 * Self.hour - 1, createdAgo: 500 * Self.hour).needsAlert)
        let wentSilent = Self.health(receivedAgo: 48 * Self.hour, createdAgo: 500 * Self.hour)
        #expect(wentSilent.status == .disconnected)
        #expect(wentSilent.needsAlert)
        #expect(!Self.health(receivedAgo: nil, createdAgo: 48 * Self.hour - 1).needsAlert)
        let neverReceived = Self.health(receivedAgo: nil, createdAgo: 48 * Self.hour)
        #expect(neverReceived.status == .disconnected)
        #expect(neverReceived.needsAlert)
    }

    @Test func anAlertIsRaisedOncePerSilence() {
        var source = Self.source(id: 7, "hq", .tcp, port: 6514)
        source.createdAt = Self.created
        let lastLine = Self.created + 10 * Self.hour
        let intake = DataSourceIntake(lines: 3, lastReceivedAt: lastLine)

        let firstCheck = lastLine + 49 * Self.hour
        let secondCheck = lastLine + 60 * Self.hour
        let first = DataSourceHealth(source: source, intake: intake, now: firstCheck)
        let second = DataSourceHealth(source: source, intake: intake, now: secondCheck)
        #expect(first.needsAlert && second.needsAlert)
        let firstAlert = first.alert(for: source, now: firstCheck)
        let secondAlert = second.alert(for: source, now: secondCheck)
        #expect(firstAlert.dedupKey != nil)
        #expect(firstAlert.dedupKey == secondAlert.dedupKey)
        #expect(firstAlert.kind == "datasource.silent")
        #expect(firstAlert.entity == "datasource:7")
        #expect(firstAlert.title.contains("hq"))
        #expect(firstAlert.detail.contains("49 hours"))
        #expect(firstAlert.detail.contains("port 6514"))

        // A line arrives, then the source goes silent again: a new silence, a new alert.
        let newLine = secondCheck + Self.hour
        let later = DataSourceIntake(lines: 4, lastReceivedAt: newLine)
        let thirdCheck = newLine + 50 * Self.hour
        let third = DataSourceHealth(source: source, intake: later, now: thirdCheck)
        #expect(third.needsAlert)
        #expect(third.alert(for: source, now: thirdCheck).dedupKey != firstAlert.dedupKey)
    }

    @Test func aNeverReceivingSourceAlertsFromItsCreation() {
        var source = Self.source(id: 3, "drop", .folder, path: "/srv/drop")
        source.createdAt = Self.created
        let now = Self.created + 48 * Self.hour
        let health = DataSourceHealth(source: source, intake: nil, now: now)
        #expect(health.needsAlert)
        #expect(health.silentSince == Self.created)
        let alert = health.alert(for: source, now: now)
        #expect(alert.detail.contains("folder /srv/drop"))
        #expect(alert.detail.contains("48 hours"))
        #expect(
            alert.dedupKey
                == DataSourceHealth(source: source, intake: nil, now: now + Self.hour).alert(
                    for: source,
                    now: now + Self.hour
                ).dedupKey
        )
    }
}
