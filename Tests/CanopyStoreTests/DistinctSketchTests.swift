import CanopyStore
import Foundation
import Testing

/// The distinct-count sketch behind the dashboard's user and IP counts: exact while small, within a few percent
/// past that, mergeable in any order, stable across processes, and never crashed by a damaged stored value.
@Suite struct DistinctSketchTests {
    static func sketch(_ members: some Sequence<String>) -> DistinctSketch {
        var s = DistinctSketch()
        for m in members { s.insert(m) }
        return s
    }

    @Test func smallSetsAreCountedExactlyAndTheEmptyStringIsNoMember() {
        #expect(DistinctSketch().count == 0 && DistinctSketch().isEmpty)
        #expect(Self.sketch(["", "", "a", "a", "b"]).count == 2)
        let limit = Self.sketch((0..<DistinctSketch.exactLimit).map { "user\($0)" })
        #expect(limit.isExact && limit.count == DistinctSketch.exactLimit)
        let past = Self.sketch((0...DistinctSketch.exactLimit).map { "user\($0)" })
        #expect(!past.isExact)
    }

    @Test(arguments: [2_100, 5_000, 20_000, 50_000, 200_000])
    func largeSetsAreEstimatedWithinTwoAndAHalfPercent(_ n: Int) {
        let estimate = Self.sketch((0..<n).map { "someone.\($0)@corp.example" }).count
        let error = abs(Double(estimate - n)) / Double(n)
        // The standard error is 0.8 %; 2.5 % is three of them.
        #expect(error < 0.025, "n=\(n) estimate=\(estimate)")
    }

    @Test func mergingIsAUnionInAnyOrderAndIdempotent() throws {
        let parts = (0..<6).map { p in Self.sketch((p * 900..<p * 900 + 2_100).map { "ip-\($0)" }) }
        var forward = DistinctSketch()
        for p in parts { forward.formUnion(p) }
        var backward = DistinctSketch()
        for p in parts.reversed() { try backward.merge(serialized: p.serialized) }
        #expect(forward.serialized == backward.serialized)
        #expect(forward == Self.sketch((0..<(5 * 900 + 2_100)).map { "ip-\($0)" }))
        let before = forward.serialized
        forward.formUnion(parts[2])
        try forward.merge(serialized: parts[4].serialized)
        #expect(forward.serialized == before)
        // Exact sketches merge exactly, also through their bytes.
        var small = Self.sketch(["a", "b"])
        try small.merge(serialized: Self.sketch(["b", "c"]).serialized)
        #expect(small.count == 3 && small.isExact)
    }

    /// Stored sketches written by one node are read by another: the hash must not depend on the process.
    @Test func theHashIsStable() {
        // Pinned: FNV-1a 64 then MurmurHash3's finalizer. Changing it would mix two hashes in stored sketches.
        #expect(DistinctSketch.hash("alice@corp.example") == 0x03c5_4392_eb1e_b1a9)
        #expect(Self.sketch(["alice", "bob"]).serialized.count == 17)
        #expect(
            Array(Self.sketch(["alice"]).serialized) == [1]
                + withUnsafeBytes(of: DistinctSketch.hash("alice").littleEndian) { Array($0) }
        )
    }

    @Test func damagedBytesAreRefusedWithAReasonNeverACrash() {
        let samples: [[UInt8]] = [
            [], [0], [3], [1, 1, 2, 3], [2] + [UInt8](repeating: 0, count: 10),
            [2] + [UInt8](repeating: 60, count: 16_384),
            [1] + [UInt8](repeating: 7, count: 8 * (DistinctSketch.exactLimit + 1)),
        ]
        for bytes in samples {
            var s = DistinctSketch()
            #expect(throws: SketchError.self, "\(bytes.prefix(4))") { try s.merge(serialized: bytes) }
        }
        var random = SeededRandom(seed: 99)
        let valid = [Self.sketch(["x", "y", "z"]).serialized, Self.sketch((0..<5_000).map(String.init)).serialized]
        for i in 0..<3_000 {
            var bytes = valid[i % 2]
            switch random.next(4) {
            case 0: bytes = Array(bytes.prefix(random.next(bytes.count + 1)))
            case 1: bytes[random.next(bytes.count)] = UInt8(random.next(256))
            case 2: bytes += (0..<random.next(20)).map { _ in UInt8(random.next(256)) }
            default: bytes = (0..<random.next(64)).map { _ in UInt8(random.next(256)) }
            }
            var s = DistinctSketch()
            do {
                try s.merge(serialized: bytes)
                _ = s.count
            } catch {
                #expect(!error.reason.isEmpty)
            }
        }
    }
}
