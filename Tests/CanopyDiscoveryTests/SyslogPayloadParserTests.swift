import CanopyCore
import CanopyDiscovery
import CanopyTesting
import Foundation
import PropertyBased
import Testing

/// A relay's syslog envelope in front of a format that has none is taken off; formats that read syslog themselves
/// see their lines unchanged.
@Suite struct SyslogPayloadParserTests {
    /// A ``ParseResult`` that tests can compare.
    enum Outcome: Equatable {
        case record(TrafficRecord)
        case ignored(ReasonCode)
        case rejected(ReasonCode)

        init(_ result: ParseResult) {
            switch result {
            case .record(let record): self = .record(record)
            case .ignored(let reason): self = .ignored(reason)
            case .rejected(let reason): self = .rejected(reason)
            }
        }

        var isRejected: Bool {
            if case .rejected = self { return true }
            return false
        }
    }

    static func parser(_ id: String) throws -> any LogParser {
        try #require(BuiltinParsers.named(id)).init()
    }

    static func parse(_ line: String, _ id: String) throws -> Outcome {
        var parser = try parser(id)
        return Outcome(parser.parse(string: line))
    }

    static func parseWrapped(_ line: String, _ id: String) throws -> Outcome {
        var parser = SyslogPayloadParser(wrapping: try parser(id))
        return Outcome(parser.parse(string: line))
    }

    static func fixtureLines(_ id: String) throws -> [String] {
        let url = FixturePaths.discoveryFixtures.appendingPathComponent(id).appendingPathComponent("valid.log")
        return try String(contentsOf: url, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
    }

    static func payloadStart(_ line: String, defaultYear: Int = 2026) -> Int {
        var bytes = Array(line.utf8)
        return bytes.withUnsafeMutableBufferPointer {
            SyslogPayloadParser.payloadStart(of: Bytes($0), defaultYear: defaultYear)
        }
    }

    /// The first data line of the squid.native fixture.
    static func squidLine() throws -> String {
        try #require(try fixtureLines("squid.native").first { !$0.hasPrefix("#") })
    }

    static let envelopes: [String] = [
        "<134>Dec  2 11:00:00 proxy1 squid[812]: ",
        "<134>Dec  2 11:00:00 squid: ",
        "<134>1 2026-12-02T11:00:00.000Z proxy1 squid 812 - - ",
        "<134>1 2026-12-02T11:00:00.000Z proxy1 squid 812 ID47 [origin ip=\"10.0.0.1\"] ",
        "<134>2026-12-02T11:00:00+01:00 proxy1 squid[812]: ",
        "<134>Dec  2 11:00:00 proxy1 ",
        "<13>",
        // No host and no tag: not RFC 3164, but devices send it.
        "<134>Dec  2 11:00:00 ",
    ]

    @Test(arguments: envelopes)
    func anEnvelopedSquidLineGivesTheRecordOfTheBareLine(envelope: String) throws {
        let line = try Self.squidLine()
        let bare = try Self.parse(line, "squid.native")
        guard case .record = bare else {
            Issue.record("the bare fixture line is not a record: \(bare)")
            return
        }
        // Without the wrapper the envelope makes the line unreadable; with it the record is the bare line's.
        #expect(try Self.parse(envelope + line, "squid.native").isRejected)
        #expect(try Self.parseWrapped(envelope + line, "squid.native") == bare)
    }

    @Test func theBareLineThroughTheWrapperGivesTheSameRecord() throws {
        for line in try Self.fixtureLines("squid.native") {
            #expect(try Self.parseWrapped(line, "squid.native") == Self.parse(line, "squid.native"), "\(line)")
        }
    }

    /// The formats whose fixtures hold no syslog envelope: what a relay would wrap.
    static var formatsWithoutEnvelope: [String] {
        BuiltinParsers.all.map { $0.descriptor.id }.filter { id in
            guard let lines = try? fixtureLines(id) else { return false }
            return !lines.contains { $0.hasPrefix("<") }
        }
    }

    @Test(arguments: [
        "<134>Dec  2 11:00:00 proxy1 app[812]: ",
        "<134>Dec  2 11:00:00 app: ",
        "<134>1 2026-12-02T11:00:00.000Z proxy1 app 812 - - ",
        "<134>2026-12-02T11:00:00+01:00 proxy1 app: ",
    ])
    func everyFormatWithoutAnEnvelopeReadsItsFixtureThroughARelay(envelope: String) throws {
        let ids = Self.formatsWithoutEnvelope
        #expect(ids.contains("squid.native") && ids.contains("w3c.extended") && ids.contains("zeek.conn_tsv"))
        for id in ids {
            // Header-driven formats (W3C `#Fields:`, Zeek `#fields`) keep their state across the wrapped lines.
            var bare = try Self.parser(id)
            var wrapped = SyslogPayloadParser(wrapping: try Self.parser(id))
            for line in try Self.fixtureLines(id) {
                #expect(
                    Outcome(wrapped.parse(string: envelope + line)) == Outcome(bare.parse(string: line)),
                    "\(id): \(envelope + line)"
                )
            }
        }
    }

    @Test(arguments: ["cisco.asa", "juniper.srx", "checkpoint.syslog", "cisco.meraki", "watchguard.firebox"])
    func formatsThatReadSyslogGiveTheSameResultThroughTheWrapper(id: String) throws {
        let lines = try Self.fixtureLines(id)
        #expect(lines.contains { $0.hasPrefix("<") }, "the \(id) fixture should hold syslog lines")
        // One parser instance per side, as a source uses one for its whole stream.
        var bare = try Self.parser(id)
        var wrapped = SyslogPayloadParser(wrapping: try Self.parser(id))
        for line in lines {
            #expect(Outcome(wrapped.parse(string: line)) == Outcome(bare.parse(string: line)), "\(id): \(line)")
        }
    }

    @Test(arguments: [
        "<134>Dec  2 11:00:00 proxy1 squid[812]: this is not a squid line",
        "<134>Dec  2 11:00:00 squid: ",
        "<134>1 2026-12-02T11:00:00.000Z proxy1 squid 812 - - garbage 1 2 3",
        "<134>Dec  2 11:00:00 proxy1 squid[812]: \u{1}\u{2}\u{3}",
        "<13>",
    ])
    func garbageAfterAnEnvelopeStaysRejected(line: String) throws {
        #expect(try Self.parseWrapped(line, "squid.native").isRejected)
    }

    @Test func payloadStartIsZeroForALineWithoutAnEnvelope() throws {
        #expect(Self.payloadStart(try Self.squidLine()) == 0)
        #expect(Self.payloadStart("hello world") == 0)
        #expect(Self.payloadStart("") == 0)
    }

    @Test func payloadStartSkipsTheEnvelopeAndTheTag() {
        let envelope = "<134>Dec  2 11:00:00 proxy1 squid[812]: "
        #expect(Self.payloadStart(envelope + "payload") == envelope.utf8.count)
        let rfc5424 = "<134>1 2026-12-02T11:00:00.000Z proxy1 squid 812 - - "
        #expect(Self.payloadStart(rfc5424 + "payload") == rfc5424.utf8.count)
    }

    static let wrappedParserIDs = ["squid.native", "cisco.asa", "generic.cef", "w3c.extended", "zeek.conn_tsv"]

    @Test func arbitraryBytesNeverTrapAWrappedParser() async throws {
        let parsers = try Self.wrappedParserIDs.map { SyslogPayloadParser(wrapping: try Self.parser($0)) }
        let prefixes = [
            "", "<13>", "<13>Dec  2 11:00:00 host tag: ", "<13>1 2026-12-02T11:00:00Z h a p m ", "<13>1 - - - - - [",
            "<134>Dec  2 11:00:00 ",
        ].map { Array($0.utf8) }
        await propertyCheck(
            count: 300,
            input: Gen.int(in: 0...(prefixes.count - 1)),
            Gen.uint8().array(of: 0...200)
        ) { prefix, bytes in
            let line = prefixes[prefix] + bytes
            for var parser in parsers {
                _ = line.withUnsafeBufferPointer { parser.parse($0, context: ParseContext()) }
                _ = line.withUnsafeBufferPointer { SyslogPayloadParser.payloadStart(of: $0, defaultYear: 2026) }
            }
        }
    }

    @Test func arbitrarySyslogLikeTextNeverTrapsAWrappedParser() async throws {
        let parsers = try Self.wrappedParserIDs.map { SyslogPayloadParser(wrapping: try Self.parser($0)) }
        let alphabet = Array("<>0123456789 :-[]\\\"=TZ.abcDec".utf8)
        await propertyCheck(count: 300, input: Gen.int(in: 0...(alphabet.count - 1)).array(of: 0...120)) { picks in
            let line = Array("<13>".utf8) + picks.map { alphabet[$0] }
            for var parser in parsers {
                _ = line.withUnsafeBufferPointer { parser.parse($0, context: ParseContext()) }
            }
        }
    }
}
