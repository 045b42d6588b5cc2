import CanopyCore
import CanopyDiscovery
import CanopyTesting
import Foundation
import PropertyBased
import Testing

/// Keeps the parser registry, the parser files and their fixtures in step (STYLE.md §9), and checks every parser
/// against its golden files, line-ending and chunking variants, and arbitrary bytes.
@Suite struct ParserConformanceTests {
    static var parserIDs: [String] {
        let ids = BuiltinParsers.all.map { $0.descriptor.id }
        guard let filter = FixturePaths.parserFilter else { return ids }
        return ids.filter { filter.contains($0) }
    }

    static func fixture(_ id: String, _ name: String) -> URL {
        FixturePaths.discoveryFixtures.appendingPathComponent(id).appendingPathComponent(name)
    }

    static func bytes(_ id: String, _ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixture(id, name)))
    }

    @Test func parserIDsAreUniqueAndWellFormed() {
        let ids = BuiltinParsers.all.map { $0.descriptor.id }
        #expect(Set(ids).count == ids.count, "duplicate parser ids")
        for id in ids {
            let allowed = id.utf8.allSatisfy {
                ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 95
            }
            #expect(allowed && id.contains("."), "parser id \(id) must be lowercase vendor.format")
        }
    }

    @Test func registryAndFixtureFoldersMatch() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: FixturePaths.discoveryFixtures.path)
            .filter { !$0.hasPrefix(".") && !$0.hasPrefix("_") }
        let ids = Set(BuiltinParsers.all.map { $0.descriptor.id })
        #expect(
            Set(folders).subtracting(ids).isEmpty,
            "fixture folders without a parser: \(Set(folders).subtracting(ids))"
        )
        #expect(ids.subtracting(folders).isEmpty, "parsers without fixtures: \(ids.subtracting(folders))")
    }

    @Test func declaredFieldsAreInTheFieldCatalog() {
        for type in BuiltinParsers.all {
            for field in type.descriptor.fields {
                #expect(
                    FieldCatalog.trafficIDs.contains(field),
                    "\(type.descriptor.id) declares unknown field \(field)"
                )
            }
        }
    }

    @Test(arguments: parserIDs)
    func validFixtureMatchesGolden(id: String) throws {
        let type = try #require(BuiltinParsers.named(id))
        let run = ParserRun.run(type, data: try Self.bytes(id, "valid.log"))
        #expect(run.records.count > 0, "valid.log of \(id) gave no record")
        #expect(!run.diagnostics.contains { $0.outcome == "rejected" }, "valid.log of \(id) has rejected lines")
        if let problem = Golden.compare(Golden.json(run), with: Self.fixture(id, "valid.expected.json")) {
            Issue.record(Comment(rawValue: problem))
        }
        // Every field a record carries is one the descriptor declares.
        let declared = Set(type.descriptor.fields)
        for line in run.records {
            let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(line.record)) as? [String: Any]
            for key in (object ?? [:]).keys {
                #expect(declared.contains(key), "\(id) emits undeclared field \(key) on line \(line.line)")
            }
        }
    }

    @Test(arguments: parserIDs)
    func malformedFixtureMatchesGolden(id: String) throws {
        let type = try #require(BuiltinParsers.named(id))
        let run = ParserRun.run(type, data: try Self.bytes(id, "malformed.log"))
        #expect(run.diagnostics.contains { $0.outcome == "rejected" }, "malformed.log of \(id) rejected nothing")
        if let problem = Golden.compare(Golden.json(run), with: Self.fixture(id, "malformed.expected.json")) {
            Issue.record(Comment(rawValue: problem))
        }
    }

    @Test(arguments: parserIDs)
    func crlfAndDripFeedGiveTheSameOutput(id: String) throws {
        let type = try #require(BuiltinParsers.named(id))
        for name in ["valid.log", "malformed.log"] {
            let data = try Self.bytes(id, name)
            let reference = ParserRun.run(type, data: data)
            var crlf: [UInt8] = []
            for b in data {
                if b == 10 { crlf.append(13) }
                crlf.append(b)
            }
            #expect(ParserRun.run(type, data: crlf) == reference, "\(id) \(name): CRLF changes the output")
            for chunk in [1, 2, 3, 7, 64] {
                #expect(
                    ParserRun.run(type, data: data, chunkSize: chunk) == reference,
                    "\(id) \(name): chunks of \(chunk) bytes change the output"
                )
            }
        }
    }

    /// The production path (one specialized loop per chunk, with the line end and binary check found in one pass)
    /// gives the same records and the same statistics as parsing line by line, also with binary lines, a CR before
    /// LF and lines cut across chunks.
    @Test(arguments: parserIDs)
    func theChunkLoopMatchesLineByLineParsing(id: String) throws {
        let type = try #require(BuiltinParsers.named(id))
        var data = try Self.bytes(id, "valid.log") + Self.bytes(id, "malformed.log")
        data += Array("binary \u{01}\u{02} line\nvalid-looking\ttab\r\n\u{00}\n\n   \nlast without newline".utf8)
        let reference = ParserRun.run(type, data: data)
        // Line by line: the splitter's events, each parsed on its own.
        var lineByLine = ParsingSession(parser: type.init(), context: ParseContext(), source: "fixture")
        var lineSplitter = LineSplitter()
        data.withUnsafeBufferPointer { all in lineSplitter.feed(all) { _ = lineByLine.consume($0) } }
        lineSplitter.finish { _ = lineByLine.consume($0) }
        for chunkSize in [1, 5, 8, 13, 1 << 20] {
            var session = ParsingSession(parser: type.init(), context: ParseContext(), source: "fixture")
            var splitter = LineSplitter()
            var records: [TrafficRecord] = []
            data.withUnsafeBufferPointer { all in
                var start = 0
                while start < all.count {
                    let end = min(all.count, start + chunkSize)
                    session.consume(chunk: all.sub(start..<end), splitter: &splitter) { records.append($0) }
                    start = end
                }
            }
            splitter.finish { event in session.consume(event) { records.append($0) } }
            #expect(records == reference.records.map(\.record), "\(id): chunks of \(chunkSize) bytes")
            #expect(session.statistics == lineByLine.statistics, "\(id): statistics, chunks of \(chunkSize) bytes")
        }
    }

    /// With a sink's symbol tables (``FieldSymbols``), the loop gives the same records, and every host and user
    /// symbol names the string the record holds — also once a tiny table is full and names are built without it.
    @Test(arguments: parserIDs)
    func symbolTablesChangeNoRecord(id: String) throws {
        let type = try #require(BuiltinParsers.named(id))
        let data = try Self.bytes(id, "valid.log") + Self.bytes(id, "valid.log") + Self.bytes(id, "malformed.log")
        let reference = ParserRun.run(type, data: data).records.map(\.record)
        for symbols in [
            FieldSymbols(), FieldSymbols(limit: 2, byteLimit: 1 << 20), FieldSymbols(limit: 100, byteLimit: 12),
        ] {
            var session = ParsingSession(parser: type.init(), context: ParseContext(), source: "fixture")
            var splitter = LineSplitter()
            var records: [TrafficRecord] = []
            data.withUnsafeBufferPointer { all in
                session.consume(chunk: all, splitter: &splitter, symbols: symbols) { records.append($0) }
            }
            splitter.finish { event in session.consume(event) { records.append($0) } }
            #expect(records == reference, "\(id): records with symbol tables")
            for r in records {
                #expect(r.symbols.tables == nil, "\(id): a record left the loop pointing at the tables")
                if r.symbols.host >= 0 { #expect(symbols.host(r.symbols.host) == r.destinationHost, "\(id): host") }
                if r.symbols.user >= 0 { #expect(symbols.user(r.symbols.user) == r.user, "\(id): user") }
            }
        }
    }

    @Test(arguments: parserIDs)
    func sampleLineParses(id: String) throws {
        var parser = try #require(BuiltinParsers.named(id)).init()
        guard case .record = parser.parse(string: parser.descriptor.sample) else {
            Issue.record("the descriptor sample of \(id) does not parse")
            return
        }
    }

    @Test(arguments: parserIDs)
    func sniffingPicksTheParserForItsOwnFixture(id: String) throws {
        let data = try Self.bytes(id, "valid.log")
        let lines = data.split(separator: 10, omittingEmptySubsequences: true).map { Array($0) }
        let ranking = FormatSniffer.rank(sample: Array(lines.prefix(FormatSniffer.sampleLines)))
        let best = try #require(ranking.first)
        let own = try #require(ranking.first { $0.parserID == id })
        // The parser itself must win, or tie with an equivalent format (same records, same confidence).
        #expect(
            best.parserID == id
                || (best.records == own.records && best.confidence == own.confidence
                    && best.fieldsPerRecord == own.fieldsPerRecord),
            "sniffing \(id)'s fixture picked \(best.parserID): \(ranking.prefix(3))"
        )
    }

    @Test(arguments: parserIDs)
    func truncationsAndMutationsOfValidLinesNeverTrap(id: String) throws {
        let type = try #require(BuiltinParsers.named(id))
        var parser = type.init()
        let data = try Self.bytes(id, "valid.log")
        let lines = data.split(separator: 10).prefix(20)
        let context = ParseContext()
        for line in lines {
            var bytes = Array(line)
            for cut in 0...bytes.count {
                _ = bytes.withUnsafeBufferPointer { parser.parse($0.sub(0..<cut), context: context) }
            }
            for i in stride(from: 0, to: bytes.count, by: 3) {
                let saved = bytes[i]
                for replacement: UInt8 in [0x22, 0x3D, 0x7C, 0x2C, 0x20, 0xFF, 0x5C, 0x09] {
                    bytes[i] = replacement
                    _ = bytes.withUnsafeBufferPointer { parser.parse($0, context: context) }
                }
                bytes[i] = saved
            }
        }
    }

    @Test func arbitraryBytesNeverTrapAnyParser() async {
        let types = BuiltinParsers.all
        await propertyCheck(count: 300, input: Gen.uint8().array(of: 0...300)) { bytes in
            for type in types {
                var parser = type.init()
                _ = bytes.withUnsafeBufferPointer { parser.parse($0, context: ParseContext()) }
            }
        }
    }

    @Test func arbitraryPrintableTextNeverTrapsAnyParser() async {
        let types = BuiltinParsers.all
        let alphabet = Array("0123456789abcdefABCDEF .:/|=\"'[]{},;-_\t<>%@\\LEEFCEF#".utf8)
        await propertyCheck(count: 300, input: Gen.int(in: 0...(alphabet.count - 1)).array(of: 0...200)) { picks in
            let bytes = picks.map { alphabet[$0] }
            for type in types {
                var parser = type.init()
                _ = bytes.withUnsafeBufferPointer { parser.parse($0, context: ParseContext()) }
            }
        }
    }
}
