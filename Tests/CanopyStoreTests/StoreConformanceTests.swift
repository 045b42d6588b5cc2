import CanopyStore
import Testing

/// One suite, every backend: what a `Store` must do, whichever database is behind it.
@Suite struct StoreConformanceTests {
    @Test(arguments: Backend.available)
    func migrationsApplyOnceInOrderAndAgainDoNothing(_ backend: Backend) async throws {
        try await withStore(backend, migrated: false) { store, reopen in
            try await store.migrate()
            try await store.migrate()
            let ids = (backend == .sqlite ? Schema.sqlite : Schema.postgres).map(\.id)
            #expect(try await store.appliedMigrations() == ids)
            // Another process (a second node) starting on the same database finds nothing to do.
            let second = try await reopen()
            try await second.migrate()
            #expect(try await second.appliedMigrations() == ids)
        }
    }

    @Test(arguments: Backend.available)
    func twoNodesMigratingAtOnceApplyEachMigrationOnce(_ backend: Backend) async throws {
        try await withStore(backend, migrated: false) { store, reopen in
            let other = try await reopen()
            async let a: Void = store.migrate()
            async let b: Void = other.migrate()
            _ = try await (a, b)
            let ids = (backend == .sqlite ? Schema.sqlite : Schema.postgres).map(\.id)
            #expect(try await store.appliedMigrations() == ids)
            #expect(try await other.appliedMigrations() == ids)
        }
    }

    @Test(arguments: Backend.available)
    func settingsAreStoredReplacedAndRemoved(_ backend: Backend) async throws {
        try await withStore(backend) { store, reopen in
            #expect(try await store.setting("retention.discovery.days") == nil)
            try await store.setSetting("retention.discovery.days", to: "90")
            try await store.setSetting("retention.discovery.days", to: "30")
            try await store.setSetting("note", to: "naïve “quotes” ' and 🐘")
            #expect(try await store.setting("retention.discovery.days") == "30")
            #expect(try await reopen().setting("note") == "naïve “quotes” ' and 🐘")
            try await store.setSetting("retention.discovery.days", to: nil)
            #expect(try await store.setting("retention.discovery.days") == nil)
        }
    }

    @Test(arguments: Backend.available)
    func appTagsAreSetsPerApp(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let first = try await store.addTag("sanctioned", to: "dropbox")
            let again = try await store.addTag("sanctioned", to: "dropbox")
            #expect(first && !again)
            _ = try await store.addTag("finance-approved", to: "dropbox")
            _ = try await store.addTag("unsanctioned", to: "wetransfer")
            #expect(
                try await store.appTags() == [
                    "dropbox": ["sanctioned", "finance-approved"], "wetransfer": ["unsanctioned"],
                ]
            )
            let removed = try await store.removeTag("sanctioned", from: "dropbox")
            let removedAgain = try await store.removeTag("sanctioned", from: "dropbox")
            #expect(removed && !removedAgain)
            #expect(try await store.appTags()["dropbox"] == ["finance-approved"])
        }
    }

    @Test(arguments: Backend.available)
    func theAuditLogPagesNewestFirstWithoutGapsOrRepeats(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            var ids: [Int64] = []
            for i in 0..<25 {
                let entry = AuditEntry(
                    time: 1_700_000_000_000 + Int64(i),
                    actor: "admin\(i % 3)",
                    action: "app.sanction",
                    target: "app-\(i)",
                    detail: "<script>\(i)</script>",
                    sourceIP: i % 2 == 0 ? "192.0.2.\(i)" : nil
                )
                ids.append(try await store.appendAudit(entry))
            }
            #expect(ids == ids.sorted() && Set(ids).count == 25)
            var pages: [[StoredAuditEntry]] = []
            var cursor: Int64?
            repeat {
                let page = try await store.auditEntries(before: cursor, limit: 10)
                if page.isEmpty { break }
                pages.append(page)
                cursor = page.last?.id
            } while true
            #expect(pages.map(\.count) == [10, 10, 5])
            let all = pages.flatMap { $0 }
            #expect(all.map(\.id) == ids.reversed())
            #expect(all.last?.entry.target == "app-0" && all.last?.entry.sourceIP == "192.0.2.0")
            #expect(all[0].entry.sourceIP == "192.0.2.24" && all[0].entry.detail == "<script>24</script>")
            #expect(all[1].entry.sourceIP == nil && all[1].entry.actor == "admin2")
            #expect(try await store.auditEntries(before: nil, limit: 0).isEmpty)
        }
    }

    @Test(arguments: Backend.available)
    func adminAccountsAreCreatedOncePerName(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            #expect(try await store.adminCount() == 0)
            #expect(try await store.admin(named: "admin") == nil)
            let account = AdminAccount(
                name: "admin",
                passwordHash: "$2b$12$abcdefghijklmnopqrstuv",
                role: "global-admin",
                mustChangePassword: true,
                createdAt: 1_700_000_000_000
            )
            let created = try await store.createAdmin(account)
            var other = account
            other.passwordHash = "different"
            let createdAgain = try await store.createAdmin(other)
            #expect(created && !createdAgain)
            #expect(try await store.admin(named: "admin") == account)
            #expect(try await store.adminCount() == 1)
        }
    }

    @Test(arguments: Backend.available)
    func apiTokensAreFoundByHashListedNewestFirstAndRevokedOnce(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let first = APIToken(
                name: "siem",
                tokenHash: String(repeating: "a", count: 64),
                role: "security-reader",
                createdBy: "admin",
                createdAt: 1_000,
                expiresAt: 2_000
            )
            var second = first
            second.name = "automation"
            second.tokenHash = String(repeating: "b", count: 64)
            second.role = "security-admin"
            let id1 = try await store.createToken(first)
            let id2 = try await store.createToken(second)
            #expect(id2 > id1)
            var stored = try #require(try await store.token(hash: first.tokenHash))
            #expect(stored.id == id1 && stored.name == "siem" && stored.role == "security-reader" && !stored.revoked)
            #expect(try await store.token(hash: String(repeating: "c", count: 64)) == nil)
            #expect(try await store.tokens().map(\.name) == ["automation", "siem"])
            let revoked = try await store.revokeToken(id: id1)
            let revokedAgain = try await store.revokeToken(id: id1)
            let revokedMissing = try await store.revokeToken(id: 999_999)
            #expect(revoked && !revokedAgain && !revokedMissing)
            stored = try #require(try await store.token(hash: first.tokenHash))
            #expect(stored.revoked)
            // The same secret hash cannot be stored twice.
            await #expect(throws: StoreError.self) { try await store.createToken(first) }
        }
    }

    static func row(
        _ day: Int32,
        _ app: String,
        _ user: String,
        _ ip: String,
        bytes: Int64,
        at time: Int64
    ) -> DiscoveryRow {
        DiscoveryRow(
            day: day,
            app: app,
            user: user,
            sourceIP: ip,
            bytesUp: bytes / 4,
            bytesDown: bytes - bytes / 4,
            bytesTotal: bytes,
            transactions: 1,
            blocked: bytes == 0 ? 1 : 0,
            firstSeen: time,
            lastSeen: time
        )
    }

    @Test(arguments: Backend.available)
    func discoveryAggregatesAddUpPerDayAppUserAndIP(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            // The same key twice in one batch and again in a later batch; an empty user and IP are not counted as
            // distinct users or IPs.
            try await store.addDiscovery([
                Self.row(20_000, "dropbox", "alice", "10.0.0.1", bytes: 100, at: 5_000),
                Self.row(20_000, "dropbox", "alice", "10.0.0.1", bytes: 300, at: 1_000),
                Self.row(20_000, "dropbox", "bob", "10.0.0.2", bytes: 0, at: 3_000),
                Self.row(20_001, "dropbox", "", "", bytes: 50, at: 9_000),
                Self.row(20_001, "slack", "alice", "10.0.0.1", bytes: 1_000, at: 8_000),
                Self.row(19_000, "slack", "carol", "10.0.0.3", bytes: 7, at: 10),
            ])
            try await store.addDiscovery([Self.row(20_000, "dropbox", "alice", "10.0.0.1", bytes: 600, at: 7_000)])
            try await store.addDiscovery([])
            let summary = try await store.discoveryByApp(days: 20_000...20_001)
            #expect(summary.map(\.app) == ["dropbox", "slack"])
            let dropbox = try #require(summary.first)
            #expect(dropbox.bytesTotal == 1_050 && dropbox.transactions == 5 && dropbox.blocked == 1)
            #expect(dropbox.bytesUp + dropbox.bytesDown == dropbox.bytesTotal)
            #expect(dropbox.users == 2 && dropbox.sourceIPs == 2)
            #expect(dropbox.firstSeen == 1_000 && dropbox.lastSeen == 9_000)
            #expect(try await store.discoveryByApp(days: 19_000...19_000).map(\.users) == [1])
            #expect(try await store.discoveryByApp(days: 30_000...30_001).isEmpty)
        }
    }

    @Test(arguments: Backend.available)
    func retentionDeletesDaysBeforeACutoffAndEverythingOnRequest(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await store.addDiscovery(
                (0..<10).map { Self.row(20_000 + Int32($0), "dropbox", "u\($0)", "10.0.0.\($0)", bytes: 1, at: 0) }
            )
            #expect(try await store.deleteDiscovery(before: 20_004) == 4)
            #expect(try await store.deleteDiscovery(before: 20_004) == 0)
            #expect(try await store.discoveryByApp(days: 0...Int32.max).first?.transactions == 6)
            #expect(try await store.deleteDiscovery(before: nil) == 6)
            #expect(try await store.discoveryByApp(days: 0...Int32.max).isEmpty)
        }
    }

    static let folderSource = DataSource(
        name: "hq-squid",
        format: "squid.native",
        transport: .folder,
        path: "/var/log/canopy/hq squid/",
        createdBy: "admin",
        createdAt: 1_700_000_000_000
    )

    static let syslogSource = DataSource(
        name: "fw'; DROP TABLE data_sources; -- “edge” 🔥",
        format: "paloalto.traffic",
        transport: .tcp,
        port: 5_514,
        createdBy: "<script>alice</script>",
        createdAt: 1_700_000_000_001
    )

    @Test(arguments: Backend.available)
    func dataSourcesAreCreatedListedOldestFirstAndDeleted(_ backend: Backend) async throws {
        try await withStore(backend) { store, reopen in
            #expect(try await store.dataSources().isEmpty)
            var folder = Self.folderSource
            folder.id = 12_345  // ignored: the store gives the id
            let folderID = try #require(try await store.createDataSource(folder))
            let syslogID = try #require(try await store.createDataSource(Self.syslogSource))
            var tls = Self.syslogSource
            tls.name = "branch-tls"
            tls.transport = .tls
            tls.port = 6_514
            let tlsID = try #require(try await store.createDataSource(tls))
            #expect(folderID < syslogID && syslogID < tlsID && folderID != 12_345)

            var expected = [Self.folderSource, Self.syslogSource, tls]
            expected[0].id = folderID
            expected[1].id = syslogID
            expected[2].id = tlsID
            #expect(try await store.dataSources() == expected)
            // Every field round-trips, nulls included, and survives reopening.
            let listed = try await reopen().dataSources()
            #expect(listed == expected)
            #expect(listed[0].port == nil && listed[0].path == "/var/log/canopy/hq squid/")
            #expect(listed[1].port == 5_514 && listed[1].path == nil && listed[1].transport == .tcp)
            #expect(listed[1].name == "fw'; DROP TABLE data_sources; -- “edge” 🔥")

            let deleted = try await store.deleteDataSource(id: syslogID)
            let deletedAgain = try await store.deleteDataSource(id: syslogID)
            let deletedMissing = try await store.deleteDataSource(id: 999_999)
            #expect(deleted && !deletedAgain && !deletedMissing)
            #expect(try await store.dataSources() == [expected[0], expected[2]])
            // The name is free again once its source is deleted, with a new id.
            let recreated = try #require(try await store.createDataSource(Self.syslogSource))
            #expect(recreated > tlsID)
            #expect(try await store.dataSources().map(\.id) == [folderID, tlsID, recreated])
        }
    }

    @Test(arguments: Backend.available)
    func aDataSourceNameIsTakenOnce(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let id = try #require(try await store.createDataSource(Self.folderSource))
            var same = Self.syslogSource
            same.name = Self.folderSource.name
            #expect(try await store.createDataSource(same) == nil)
            var stored = Self.folderSource
            stored.id = id
            #expect(try await store.dataSources() == [stored])
            #expect(try await store.intakes() == [id: DataSourceIntake()])
            // Names compare exactly: another case is another name.
            var upper = Self.folderSource
            upper.name = "HQ-SQUID"
            #expect(try await store.createDataSource(upper) != nil)
        }
    }

    @Test(arguments: Backend.available)
    func intakeDeltasAddUpWithReasonsAndTheLatestReceivedTime(_ backend: Backend) async throws {
        try await withStore(backend) { store, reopen in
            let a = try #require(try await store.createDataSource(Self.folderSource))
            let b = try #require(try await store.createDataSource(Self.syslogSource))
            #expect(try await store.intakes() == [a: DataSourceIntake(), b: DataSourceIntake()])

            let deltas = [
                DataSourceIntake(
                    lines: 10,
                    records: 7,
                    ignored: 2,
                    rejected: 1,
                    bytes: 1_200,
                    reasons: ["ignored:header": 2, "rejected:bad-timestamp": 1],
                    lastReceivedAt: 5_000
                ),
                // Earlier than what is stored: the stored time stays.
                DataSourceIntake(
                    lines: 4,
                    records: 1,
                    ignored: 0,
                    rejected: 3,
                    bytes: 300,
                    reasons: ["rejected:bad-timestamp": 2, "rejected:too-few-fields": 1],
                    lastReceivedAt: 4_000
                ),
                // No time: the stored time stays.
                DataSourceIntake(lines: 1, records: 1, bytes: 90),
                DataSourceIntake(
                    lines: 5,
                    ignored: 5,
                    bytes: 0,
                    reasons: ["ignored:header": 5],
                    lastReceivedAt: 9_000
                ),
            ]
            var expected = DataSourceIntake()
            for delta in deltas {
                #expect(delta.lines == delta.records + delta.ignored + delta.rejected)
                try await store.addIntake(delta, to: a)
                expected.add(delta)
            }
            try await store.addIntake(DataSourceIntake(), to: a)
            #expect(
                expected
                    == DataSourceIntake(
                        lines: 20,
                        records: 9,
                        ignored: 7,
                        rejected: 4,
                        bytes: 1_590,
                        reasons: ["ignored:header": 7, "rejected:bad-timestamp": 3, "rejected:too-few-fields": 1],
                        lastReceivedAt: 9_000
                    )
            )
            // An unknown id changes nothing, not even its reasons.
            try await store.addIntake(
                DataSourceIntake(lines: 1, rejected: 1, reasons: ["rejected:x": 1], lastReceivedAt: 1),
                to: 999_999
            )

            let intakes = try await reopen().intakes()
            #expect(intakes == [a: expected, b: DataSourceIntake()])
            let stored = try #require(intakes[a])
            #expect(stored.lines == stored.records + stored.ignored + stored.rejected)
            #expect(stored.reasons.values.reduce(0, +) == stored.ignored + stored.rejected)
            #expect(try await store.intakes()[b]?.isEmpty == true)

            // A first time on a source that had none is taken as is.
            try await store.addIntake(DataSourceIntake(lines: 1, records: 1, bytes: 10, lastReceivedAt: 3), to: b)
            #expect(
                try await store.intakes()[b] == DataSourceIntake(lines: 1, records: 1, bytes: 10, lastReceivedAt: 3)
            )
        }
    }

    @Test(arguments: Backend.available)
    func deletingADataSourceRemovesWhatItReceived(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let a = try #require(try await store.createDataSource(Self.folderSource))
            let b = try #require(try await store.createDataSource(Self.syslogSource))
            let delta = DataSourceIntake(
                lines: 3,
                records: 1,
                ignored: 1,
                rejected: 1,
                bytes: 99,
                reasons: ["ignored:header": 1, "rejected:bad-timestamp": 1],
                lastReceivedAt: 42
            )
            try await store.addIntake(delta, to: a)
            try await store.addIntake(delta, to: b)
            #expect(try await store.deleteDataSource(id: a))
            #expect(try await store.intakes() == [b: delta])
            // Adding to the deleted source does nothing; a source created with the same name starts empty.
            try await store.addIntake(delta, to: a)
            let again = try #require(try await store.createDataSource(Self.folderSource))
            #expect(again != a)
            #expect(try await store.intakes() == [b: delta, again: DataSourceIntake()])
        }
    }

    static func alert(_ i: Int, dedupKey: String? = nil) -> SystemAlert {
        SystemAlert(
            time: 1_700_000_000_000 + Int64(i),
            kind: "datasource.silent",
            severity: ["low", "medium", "high"][i % 3],
            title: "Data source \(i) is silent",
            detail: "<b>no logs</b> for 2 h from 'source-\(i)' “🔥”",
            entity: "datasource:\(i)",
            dedupKey: dedupKey,
            status: i % 4 == 0 ? "closed" : "open"
        )
    }

    @Test(arguments: Backend.available)
    func alertsPageNewestFirstWithoutGapsOrRepeats(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            #expect(try await store.alerts(before: nil, limit: 10).isEmpty)
            var ids: [Int64] = []
            for i in 0..<23 {
                let id = try #require(
                    try await store.raiseAlert(Self.alert(i, dedupKey: i % 2 == 0 ? "datasource.silent:\(i)" : nil))
                )
                ids.append(id)
            }
            #expect(ids == ids.sorted() && Set(ids).count == 23)
            var pages: [[StoredSystemAlert]] = []
            var cursor: Int64?
            repeat {
                let page = try await store.alerts(before: cursor, limit: 10)
                if page.isEmpty { break }
                pages.append(page)
                cursor = page.last?.id
            } while true
            #expect(pages.map(\.count) == [10, 10, 3])
            let all = pages.flatMap { $0 }
            #expect(all.map(\.id) == ids.reversed())
            // Every field round-trips, a nil key included.
            #expect(
                all.map(\.alert)
                    == (0..<23).reversed().map {
                        Self.alert($0, dedupKey: $0 % 2 == 0 ? "datasource.silent:\($0)" : nil)
                    }
            )
            #expect(all.last?.alert.dedupKey == "datasource.silent:0" && all.last?.alert.status == "closed")
            #expect(all[0].alert.detail == "<b>no logs</b> for 2 h from 'source-22' “🔥”")
            #expect(all[1].alert.dedupKey == nil && all[1].alert.severity == "low")
            #expect(try await store.alerts(before: nil, limit: 0).isEmpty)
            #expect(try await store.alerts(before: ids[0], limit: 10).isEmpty)
            #expect(try await store.alerts(before: ids[5], limit: 2).map(\.id) == [ids[4], ids[3]])
        }
    }

    @Test(arguments: Backend.available)
    func anAlertIsRaisedOncePerDedupKeyAndNilKeysNeverDedup(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let first = try #require(try await store.raiseAlert(Self.alert(1, dedupKey: "datasource.silent:3")))
            // The same key with other fields: nothing changes.
            #expect(try await store.raiseAlert(Self.alert(2, dedupKey: "datasource.silent:3")) == nil)
            let otherKey = try #require(try await store.raiseAlert(Self.alert(3, dedupKey: "datasource.silent:4")))
            let unkeyed1 = try #require(try await store.raiseAlert(Self.alert(4)))
            let unkeyed2 = try #require(try await store.raiseAlert(Self.alert(4)))
            #expect(Set([first, otherKey, unkeyed1, unkeyed2]).count == 4)
            let all = try await store.alerts(before: nil, limit: 100)
            #expect(all.map(\.id) == [unkeyed2, unkeyed1, otherKey, first])
            #expect(all.last?.alert == Self.alert(1, dedupKey: "datasource.silent:3"))
            #expect(all[0].alert == Self.alert(4) && all[1].alert == Self.alert(4))
        }
    }

    /// Migrations are frozen: a released migration never changes. This pins each one's text; a schema change is a
    /// new migration appended to the list (and a new line here).
    @Test func migrationsAreFrozen() {
        func fingerprint(_ m: Migration) -> String {
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            for b in (m.id + "\u{0}" + m.statements.joined(separator: "\u{0}")).utf8 {
                h = (h ^ UInt64(b)) &* 0x100_0000_01B3
            }
            return String(h, radix: 16)
        }
        #expect(
            Schema.sqlite.map(fingerprint) == [
                "cab38562224e28e6", "3f60b6234df21599", "68a32bab57395a43", "176adccb43fb5150",
                "a53a29ae24fd623f", "fffdaa507c8acd1b", "234a1933382decd8",
                "bf2af88e4480226", "f76f331036ff7f1a", "ba48389418db2916", "6c2be4d2fdec5b36",
                "cd081e5861565d5d", "7d8dc43a6b02ac7e", "8d1c2c58c25bfd97",
            ]
        )
        #expect(
            Schema.postgres.map(fingerprint) == [
                "7b93a77aa6832b25", "f28d97e955f4fb71", "913047f4d359ee30", "a3fcfed8745871c5",
                "98d194700533a2fd", "960cace64a868ddc", "9cf67ca27f62083",
                "8d697f4248d96d54", "ede927ed16ff680", "fe6a9c43eaa42681", "432f458184524643",
                "bf13a8984253db37", "7941c6d6b752a5eb", "c3abc7bdbba0151d",
            ]
        )
    }
}
