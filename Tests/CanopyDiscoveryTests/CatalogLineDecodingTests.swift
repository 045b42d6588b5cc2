import CanopyCore
import CanopyDiscovery
import CanopyTesting
import Foundation
import Testing

/// The catalog's fast line reader (``JSONCursor``) against `JSONDecoder`: the same values for the shipped catalog,
/// and for anything else either the same values or a refusal (then `JSONDecoder` decides) — never a different
/// reading.
@Suite struct CatalogLineDecodingTests {
    static let catalogDirectory = FixturePaths.repositoryRoot.appendingPathComponent("Sources/canopy/Resources/catalog")

    static func lines(_ name: String) throws -> [[UInt8]] {
        let data = try Data(contentsOf: catalogDirectory.appendingPathComponent(name))
        return data.split(separator: 10).map(Array.init)
    }

    /// Whether the fast reader agrees with `JSONDecoder` on `line`: same value, or a refusal.
    static func agrees<T: Decodable & Equatable>(
        _ line: [UInt8],
        _ type: T.Type,
        fast: (UnsafeBufferPointer<UInt8>) throws -> T
    ) -> Bool {
        let quick = line.withUnsafeBufferPointer { try? fast($0) }
        guard let quick else { return true }
        return (try? JSONDecoder().decode(T.self, from: Data(line))) == quick
    }

    @Test func theShippedCatalogReadsTheSameAsWithJSONDecoder() throws {
        let apps = try Self.lines("apps.jsonl")
        let risk = try Self.lines("risk.jsonl")
        #expect(apps.count > 1_500 && risk.count > 300)
        for line in apps {
            let quick = try line.withUnsafeBufferPointer { try CatalogApp(catalogLine: $0) }
            #expect(try JSONDecoder().decode(CatalogApp.self, from: Data(line)) == quick)
        }
        for line in risk {
            let quick = try line.withUnsafeBufferPointer { try AppRiskFacts(catalogLine: $0) }
            #expect(try JSONDecoder().decode(AppRiskFacts.self, from: Data(line)) == quick)
        }
    }

    @Test(arguments: [
        (
            #"{"id":"a","name":"\u00e9\ud83d\ude00 \"q\" \\ \/ \t","category":"c","domains":["a.com"],"x":[1,{"y":null}]}"#,
            true
        ),
        (#"{"id":"a","name":"n","category":"c","domains":[],"vendor":null,"hosts":null,"website":"w"}"#, true),
        (#" { "id" : "a" , "name" : "n" , "category" : "c" , "domains" : [ "a.com" , "b.com" ] } "#, true),
        (#"{"id":"a","name":"n","category":"c","domains":["a.com"],"id":"b"}"#, false),
        (#"{"id":"a","name":"n","category":"c"}"#, false),
        (#"{"id":"a","name":"n","category":"c","domains":"a.com"}"#, false),
        (#"{"id":"a","name":"n","category":"c","domains":["a.com"]} x"#, false),
        (#"{"id":"a","name":"\ud800","category":"c","domains":["a.com"]}"#, false),
        (#"{"id":"a","name":"n","category":"c","domains":["a.com"],"n":-0.5e+3}"#, true),
        (#"{"id":"a","name":"n","category":"c","domains":["a.com"],"n":01}"#, false),
        (#"{"id":"a","name":"n","category":"c","domains":["a.com",]}"#, false),
    ])
    func appLinesAreReadAsJSONDecoderReadsThemOrRefused(line: String, accepted: Bool) {
        let bytes = Array(line.utf8)
        #expect(bytes.withUnsafeBufferPointer { (try? CatalogApp(catalogLine: $0)) != nil } == accepted)
        #expect(Self.agrees(bytes, CatalogApp.self) { try CatalogApp(catalogLine: $0) })
    }

    @Test(arguments: [
        (#"{"app":"a","attributes":{"founded":{"value":2005},"mfa":{"value":false,"source":"s","date":"d"}}}"#, true),
        (#"{"app":"a","attributes":{"founded":{"value":2005.0}}}"#, false),
        (#"{"app":"a","attributes":{"founded":{"value":1e3}}}"#, false),
        (#"{"app":"a","attributes":{"founded":{"value":-12}}}"#, true),
        (#"{"app":"a","attributes":{"founded":{"value":99999999999999999999}}}"#, false),
        (#"{"app":"a","attributes":{"founded":{"value":null}}}"#, false),
        (#"{"app":"a","attributes":{"hq":{"value":"x"},"hq":{"value":"y"}}}"#, false),
        (#"{"app":"a","asOf":null,"attributes":{}}"#, true),
        (#"{"app":"a","attributes":{"mfa":{"source":"s"}}}"#, false),
        (#"{"app":"a","attributes":{"mfa":{"value":true,"value":false}}}"#, false),
    ])
    func riskLinesAreReadAsJSONDecoderReadsThemOrRefused(line: String, accepted: Bool) {
        let bytes = Array(line.utf8)
        #expect(bytes.withUnsafeBufferPointer { (try? AppRiskFacts(catalogLine: $0)) != nil } == accepted)
        #expect(Self.agrees(bytes, AppRiskFacts.self) { try AppRiskFacts(catalogLine: $0) })
    }

    /// Every byte of a sample of shipped lines replaced, deleted or duplicated at random: the reader never traps
    /// and never reads a line differently from `JSONDecoder`.
    @Test func mutatedLinesAreReadAsJSONDecoderReadsThemOrRefused() throws {
        var random = SplitMix64(seed: 11)
        let apps = try Self.lines("apps.jsonl")
        let risk = try Self.lines("risk.jsonl")
        let alphabet = Array(#"{}[]":,\ 0123456789-.eEtrufalsn"#.utf8) + [0x00, 0x0A, 0x80, 0xC3, 0xFF]
        func mutate(_ line: [UInt8]) -> [UInt8] {
            var out = line
            for _ in 0..<(1 + random.below(3)) where !out.isEmpty {
                let at = random.below(out.count)
                switch random.below(3) {
                case 0: out[at] = alphabet[random.below(alphabet.count)]
                case 1: out.remove(at: at)
                default: out.insert(out[at], at: at)
                }
            }
            return out
        }
        for _ in 0..<1_500 {
            let app = mutate(apps[random.below(apps.count)])
            #expect(Self.agrees(app, CatalogApp.self) { try CatalogApp(catalogLine: $0) })
            let facts = mutate(risk[random.below(risk.count)])
            #expect(Self.agrees(facts, AppRiskFacts.self) { try AppRiskFacts(catalogLine: $0) })
        }
    }

    @Test func aLineTheFastReaderRefusesIsStillLoadedAndABadLineIsNamed() throws {
        let categories = Data(#"[{"id":"c","name":"C"}]"#.utf8)
        let attributes = Data("[]".utf8)
        let risk = Data(#"{"app":"a","attributes":{"founded":{"value":"x"}}}"#.utf8)
        // A repeated key (with the same value): the fast reader leaves it to JSONDecoder.
        let apps = Data(
            (#"{"id":"a","name":"n","category":"c","domains":["a.com"],"id":"a"}"# + "\n\n"
                + #"{"id":"b","name":"m","category":"c","domains":["b.com"]}"#).utf8
        )
        let catalog = try AppCatalog.load(
            AppCatalog.Files(categories: categories, apps: apps, attributes: attributes, risk: risk)
        )
        #expect(catalog.apps.map(\.id) == ["a", "b"])
        let broken = Data((String(decoding: apps, as: UTF8.self) + "\n" + #"{"id":"c","name":5}"#).utf8)
        #expect {
            try AppCatalog.load(
                AppCatalog.Files(categories: categories, apps: broken, attributes: attributes, risk: risk)
            )
        } throws: { error in
            (error as? CatalogError)?.line == 4
        }
    }
}
