import CanopyCore
import CanopyDiscovery
import CanopyTesting
import PropertyBased
import Testing

@Suite struct CustomParserTests {
    static let csvWithHeader = """
        id: acme.gateway
        name: ACME secure gateway
        type: csv
        csv: { delimiter: ",", header: true }
        fields:
          time: when
          timeFormat: "%d/%m/%Y %H:%M:%S %z"
          sourceIP: client
          user: login
          destinationHost: site
          bytesUp: sent
          bytesDown: received
          action: verdict
        blockedValues: [Blocked, DENY]
        """

    static let csvPositions = """
        id: acme.legacy
        type: csv
        csv: { delimiter: "\\t", columns: [d, t, ip, host] }
        fields: { date: d, timeOfDay: t, timeFormat: "%Y-%m-%d %I:%M:%S %p", sourceIP: ip, destinationHost: host, user: "#5" }
        """

    static let keyValue = """
        id: acme.kv
        type: keyvalue
        keyvalue: { pairSeparator: ";", valueSeparator: ":" }
        fields: { time: ts, timeFormat: epoch, sourceIP: src, destinationIP: dst, url: u, action: act, status: code }
        blockedValues: [drop]
        """

    func run(_ yaml: String, _ text: String) throws -> ParserRun {
        ParserRun.run(parser: try CustomParser(yaml: yaml), data: Array(text.utf8))
    }

    @Test func csvWithHeaderMapsColumnsByName() throws {
        let run = try run(
            Self.csvWithHeader,
            """
            # exported by ACME
            when,client,login,site,sent,received,verdict
            02/01/2024 03:04:05 +0100,10.0.0.5,alice,WWW.Dropbox.com,100,2000,allowed
            02/01/2024 03:04:06 +0100,10.0.0.6,"Smith, Bob",mega.nz,5,10,blocked
            31/02/2024 03:04:06 +0100,10.0.0.6,bob,mega.nz,5,10,blocked
            02/01/2024 03:04:06 +0100,10.0.0.999,bob,mega.nz,5,10,blocked
            02/01/2024 03:04:06 +0100,10.0.0.6,bob,mega.nz,lots,10,blocked
            """
        )
        #expect(run.records.count == 2)
        let first = try #require(run.records.first?.record)
        #expect(first.time?.description == "2024-01-02T02:04:05.000Z")
        #expect(first.destinationHost == "www.dropbox.com")
        #expect(first.bytesUp == 100 && first.bytesDown == 2000 && first.action == .allowed)
        #expect(run.records.last?.record.user == "Smith, Bob")
        #expect(run.records.last?.record.action == .blocked)
        #expect(
            run.diagnostics.map(\.reason) == [
                "header-or-comment", "header-or-comment", "bad-timestamp", "bad-ip-address", "bad-number",
            ]
        )
    }

    @Test func csvWithoutHeaderUsesColumnsPositionsAndSeparateDateAndTime() throws {
        let run = try run(Self.csvPositions, "2024-03-04\t01:02:03 PM\t10.1.1.1\tslack.com\tCORP\\carol\n")
        let r = try #require(run.records.first?.record)
        #expect(r.time?.description == "2024-03-04T13:02:03.000Z")
        #expect(r.user == "CORP\\carol")
        #expect(r.destinationHost == "slack.com")
    }

    @Test func keyValueMapsKeys() throws {
        let run = try run(
            Self.keyValue,
            "ts:1700000000;src:10.0.0.1;dst:52.1.2.3;u:https://box.com/x;act:drop;code:403\n"
        )
        let r = try #require(run.records.first?.record)
        #expect(r.destinationIP == IPAddress("52.1.2.3"))
        #expect(r.destinationHost == "box.com")
        #expect(r.action == .blocked && r.status == 403)
    }

    @Test func invalidDefinitionsListEveryProblem() {
        let yaml = """
            id: Bad Id
            type: csv
            csv: { delimiter: "::", columns: [a] }
            fields: { date: a, timeFormat: "%Q", user: b }
            """
        do {
            _ = try CustomParser(yaml: yaml)
            Issue.record("an invalid definition was accepted")
        } catch let error as CustomParserError {
            let text = error.problems.joined(separator: "\n")
            #expect(text.contains("id:"))
            #expect(text.contains("date and timeOfDay"))
            #expect(text.contains("destinationHost"))
            #expect(text.contains("timeFormat"))
            #expect(text.contains("csv.delimiter"))
            #expect(text.contains("'b' is not in csv.columns"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(throws: CustomParserError.self) { try CustomParser(yaml: "not: [valid") }
    }

    @Test func arbitraryBytesNeverTrapCustomParsers() async throws {
        let parsers = try [Self.csvWithHeader, Self.csvPositions, Self.keyValue].map { try CustomParser(yaml: $0) }
        await propertyCheck(count: 200, input: Gen.uint8().array(of: 0...200)) { bytes in
            for p in parsers {
                var parser = p
                _ = bytes.withUnsafeBufferPointer { parser.parse($0, context: ParseContext()) }
                _ = bytes.withUnsafeBufferPointer { parser.parse($0, context: ParseContext()) }
            }
        }
    }

    @Test(arguments: [
        ("%Y-%m-%dT%H:%M:%S.%f%z", "2024-05-06T07:08:09.250+02:00", "2024-05-06T05:08:09.250Z"),
        ("%b %e %H:%M:%S %Y", "Jan  2 03:04:05 2024", "2024-01-02T03:04:05.000Z"),
        ("%s", "1700000000", "2023-11-14T22:13:20.000Z"), ("epoch_ms", "1700000000123", "2023-11-14T22:13:20.123Z"),
        ("%F %T", "2024-02-29 23:59:59", "2024-02-29T23:59:59.000Z"),
    ])
    func timeFormatsReadTheirLayouts(layout: String, text: String, expected: String) throws {
        let format = try #require(TimeFormat(layout))
        var bytes = Array(text.utf8)
        let t = bytes.withUnsafeMutableBufferPointer { format.parse(Bytes($0), defaultYear: 2026) }
        #expect(t?.description == expected)
    }
}
