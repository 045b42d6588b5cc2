import Foundation

/// A mergeable count of distinct strings, for the Cloud Discovery rollups: how many users and source IPs an app had
/// over any range of days, without scanning the (day, app, user, IP) grain.
///
/// Exact up to ``exactLimit`` members, which it keeps as their 64-bit hashes; past that a HyperLogLog with 16,384
/// one-byte registers (standard error 1.04 / √16384 ≈ 0.8 %), estimated with Ertl's improved raw estimator
/// ("New cardinality estimation algorithms for HyperLogLog sketches", 2017), which needs no empirical bias tables.
/// Merging is a set union (or a register-wise maximum), so it is associative, commutative and idempotent: re-adding
/// a flush that was already counted changes nothing.
///
/// Serialized as one kind byte and its payload: `0x01` and the sorted hashes (8 bytes each, little-endian), or
/// `0x02` and the 16,384 registers. ``merge(serialized:)`` refuses anything else with a reason.
package struct DistinctSketch: Sendable, Hashable {
    /// Members kept exactly; the dense form takes over past this (its 16 kB equal 2,048 hashes).
    package static let exactLimit = 2_048
    static let precision = 14
    static let registerCount = 1 << precision
    /// The largest register value: leading zeros of the remaining 50 bits, plus one.
    static let maxRank = UInt8(64 - precision + 1)

    private enum Kind: UInt8 {
        case exact = 1
        case dense = 2
    }

    /// While exact: member hashes, appended as they come (duplicates and all) and sorted and deduplicated only when
    /// there are too many (``compact()``) or an answer is needed — appending is what makes merging thousands of stored
    /// sketches cheap. Empty once dense.
    private var hashes: [UInt64] = []
    /// Whether `hashes` is sorted without duplicates.
    private var compacted = true
    /// Empty while exact.
    private var registers: [UInt8] = []

    /// Uncompacted hashes kept before deduplicating.
    private static let pendingLimit = 4 * exactLimit

    package init() {}

    package var isEmpty: Bool { registers.isEmpty && hashes.isEmpty }

    /// Whether ``count`` is exact (at most ``exactLimit`` members) rather than an estimate.
    package var isExact: Bool { canonical.registers.isEmpty }

    /// Adds a member; the empty string is no member (logs that name no user or IP).
    package mutating func insert(_ member: String) {
        guard !member.isEmpty else { return }
        insert(hash: Self.hash(member))
    }

    mutating func insert(hash: UInt64) {
        if registers.isEmpty {
            hashes.append(hash)
            compacted = false
            if hashes.count > Self.pendingLimit { compact() }
        } else {
            Self.setRegister(&registers, hash: hash)
        }
    }

    /// Adds every member of `other`.
    package mutating func formUnion(_ other: DistinctSketch) {
        if other.registers.isEmpty {
            for h in other.hashes { insert(hash: h) }
            return
        }
        if registers.isEmpty { densify() }
        for i in 0..<Self.registerCount where other.registers[i] > registers[i] {
            registers[i] = other.registers[i]
        }
    }

    /// Adds every member of a serialized sketch, without building it first (the dashboard merges thousands).
    package mutating func merge(serialized bytes: some Collection<UInt8>) throws(SketchError) {
        let merged: Result<Void, SketchError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(SketchError) in try merge(buffer: UnsafeRawBufferPointer(buffer)) }
        }
        if let merged { return try merged.get() }
        let copy = [UInt8](bytes)
        let fallback: Result<Void, SketchError> = copy.withUnsafeBytes { buffer in
            Result { () throws(SketchError) in try merge(buffer: buffer) }
        }
        try fallback.get()
    }

    private mutating func merge(buffer: UnsafeRawBufferPointer) throws(SketchError) {
        guard let first = buffer.first, let kind = Kind(rawValue: first) else {
            throw SketchError(reason: buffer.isEmpty ? "empty sketch" : "unknown sketch kind \(buffer[0])")
        }
        let payload = UnsafeRawBufferPointer(rebasing: buffer.dropFirst())
        switch kind {
        case .exact:
            guard payload.count % 8 == 0, payload.count / 8 <= Self.exactLimit else {
                throw SketchError(reason: "exact sketch of \(payload.count) bytes")
            }
            let n = payload.count / 8
            if registers.isEmpty {
                hashes.reserveCapacity(hashes.count + n)
                for i in 0..<n {
                    hashes.append(UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
                }
                compacted = compacted && n == 0
                if hashes.count > Self.pendingLimit { compact() }
            } else {
                for i in 0..<n {
                    let h = UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
                    Self.setRegister(&registers, hash: h)
                }
            }
        case .dense:
            guard payload.count == Self.registerCount else {
                throw SketchError(reason: "dense sketch of \(payload.count) registers")
            }
            if let bad = payload.firstIndex(where: { $0 > Self.maxRank }) {
                throw SketchError(reason: "register \(bad) is \(payload[bad])")
            }
            if registers.isEmpty { densify() }
            registers.withUnsafeMutableBufferPointer { mine in
                for i in 0..<Self.registerCount where payload[i] > mine[i] { mine[i] = payload[i] }
            }
        }
    }

    /// The serialized form (see the type's documentation).
    package var serialized: [UInt8] {
        let c = canonical
        if !c.registers.isEmpty { return [Kind.dense.rawValue] + c.registers }
        var bytes = [Kind.exact.rawValue]
        bytes.reserveCapacity(1 + c.hashes.count * 8)
        for h in c.hashes {
            withUnsafeBytes(of: h.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// The number of distinct members: exact while ``isExact``, else the estimate.
    package var count: Int {
        let c = canonical
        return c.registers.isEmpty ? c.hashes.count : Int(Self.estimate(c.registers).rounded())
    }

    package static func == (a: DistinctSketch, b: DistinctSketch) -> Bool {
        let (x, y) = (a.canonical, b.canonical)
        return x.hashes == y.hashes && x.registers == y.registers
    }

    package func hash(into hasher: inout Hasher) {
        let c = canonical
        hasher.combine(c.hashes)
        hasher.combine(c.registers)
    }

    /// This sketch with its hashes sorted and deduplicated (dense past the limit).
    private var canonical: DistinctSketch {
        guard !compacted else { return self }
        var c = self
        c.compact()
        return c
    }

    private mutating func compact() {
        guard !compacted else { return }
        hashes.sort()
        var kept = 0
        for i in hashes.indices where kept == 0 || hashes[kept - 1] != hashes[i] {
            hashes[kept] = hashes[i]
            kept += 1
        }
        hashes.removeLast(hashes.count - kept)
        compacted = true
        if hashes.count > Self.exactLimit { densify() }
    }

    private mutating func densify() {
        registers = [UInt8](repeating: 0, count: Self.registerCount)
        for h in hashes { Self.setRegister(&registers, hash: h) }
        hashes = []
        compacted = true
    }

    private static func setRegister(_ registers: inout [UInt8], hash: UInt64) {
        let index = Int(truncatingIfNeeded: hash >> UInt64(64 - precision))
        let rest = hash << UInt64(precision)
        let rank = UInt8(min(rest.leadingZeroBitCount, 64 - precision) + 1)
        if rank > registers[index] { registers[index] = rank }
    }

    /// Ertl's improved raw estimator over the register histogram.
    static func estimate(_ registers: [UInt8]) -> Double {
        let q = 64 - precision
        var histogram = [Int](repeating: 0, count: q + 2)
        for r in registers { histogram[Int(r)] += 1 }
        let m = Double(registerCount)
        var z = m * tau(1 - Double(histogram[q + 1]) / m)
        for k in stride(from: q, through: 1, by: -1) {
            z = 0.5 * (z + Double(histogram[k]))
        }
        z += m * sigma(Double(histogram[0]) / m)
        return m * m / (2 * log(2.0) * z)
    }

    private static func sigma(_ x: Double) -> Double {
        guard x < 1 else { return .infinity }
        var x = x
        var y = 1.0
        var z = x
        while true {
            x *= x
            let previous = z
            z += x * y
            y += y
            if z == previous { return z }
        }
    }

    private static func tau(_ x: Double) -> Double {
        guard x > 0, x < 1 else { return 0 }
        var x = x
        var y = 1.0
        var z = 1 - x
        while true {
            x = x.squareRoot()
            let previous = z
            y *= 0.5
            z -= (1 - x) * (1 - x) * y
            if z == previous { return z / 3 }
        }
    }

    /// A stable 64-bit hash of the UTF-8 bytes (FNV-1a, then MurmurHash3's 64-bit finalizer for avalanche): the same
    /// on every node and across restarts, unlike `Hasher`.
    package static func hash(_ member: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in member.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }
}

/// A stored sketch that cannot be read: what is wrong with it.
package struct SketchError: Error, Hashable, CustomStringConvertible {
    package let reason: String
    package var description: String { "unreadable distinct-count sketch: \(reason)" }
}
