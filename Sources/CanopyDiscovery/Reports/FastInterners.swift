package import CanopyCore

/// Seeded 64-bit mixing for the interners below: a per-instance random seed keeps crafted log values (user names,
/// addresses) from forcing collisions, at a fraction of SipHash's cost on the per-record path.
private enum Mix {
    @inline(__always)
    static func step(_ h: UInt64, _ w: UInt64) -> UInt64 {
        var x = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 32
        return x
    }

    @inline(__always)
    static func finish(_ h: UInt64) -> UInt64 {
        var x = h
        x ^= x >> 29
        x &*= 0xBF58_476D_1CE4_E5B9
        x ^= x >> 32
        return x
    }
}

/// A seeded hash of UTF-8 bytes, eight bytes at a time.
enum TextHash {
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ seed: UInt64) -> UInt64 {
        var h = seed ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return Mix.finish(h) }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= bytes.count {
            h = Mix.step(h, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        guard i < bytes.count else { return Mix.finish(h) }
        var tail: UInt64 = 0
        if bytes.count >= 8 {
            // The last eight bytes, overlapping the words already mixed.
            tail = raw.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)
        } else {
            var shift: UInt64 = 0
            while i < bytes.count {
                tail |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
        }
        return Mix.finish(Mix.step(h, tail))
    }
}

/// Dense ids for strings (user names, domains), hashing their UTF-8 bytes in place.
package struct TextInterner: Sendable {
    package private(set) var values: [String] = []
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int
    private let seed: UInt64

    package init() {
        slots = [Int32](repeating: -1, count: 64)
        mask = 63
        seed = UInt64.random(in: 0...UInt64.max)
    }

    package var count: Int { values.count }

    /// The id of `value`, adding it if new.
    @inline(__always)
    package mutating func id(_ value: String) -> Int32 {
        var text = value
        let h = text.withUTF8 { TextHash.hash($0, seed) }
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[i]
            if id < 0 { break }
            if hashes[Int(id)] == h, values[Int(id)] == value { return id }
            i = (i + 1) & mask
        }
        let id = Int32(values.count)
        values.append(value)
        hashes.append(h)
        slots[i] = id
        if values.count * 4 > slots.count * 3 { grow() }
        return id
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for (id, h) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(id)
        }
    }
}

/// Dense ids for IP addresses.
package struct AddressInterner: Sendable {
    package private(set) var values: [IPAddress] = []
    private var slots: [Int32]
    private var mask: Int
    private let seed: UInt64

    package init() {
        slots = [Int32](repeating: -1, count: 64)
        mask = 63
        seed = UInt64.random(in: 0...UInt64.max)
    }

    package var count: Int { values.count }

    @inline(__always)
    private func hash(_ a: IPAddress) -> UInt64 {
        let h = Mix.step(Mix.step(seed, UInt64(truncatingIfNeeded: a.bits)), UInt64(truncatingIfNeeded: a.bits >> 64))
        return Mix.finish(a.isIPv4 ? h : ~h)
    }

    /// The id of `value`, adding it if new.
    @inline(__always)
    package mutating func id(_ value: IPAddress) -> Int32 {
        var i = Int(truncatingIfNeeded: hash(value)) & mask
        while true {
            let id = slots[i]
            if id < 0 { break }
            // Field by field: a cross-module `==` call per probe costs more than the compare.
            if values[Int(id)].bits == value.bits, values[Int(id)].isIPv4 == value.isIPv4 { return id }
            i = (i + 1) & mask
        }
        let id = Int32(values.count)
        values.append(value)
        slots[i] = id
        if values.count * 4 > slots.count * 3 { grow() }
        return id
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for (id, value) in values.enumerated() {
            var i = Int(truncatingIfNeeded: hash(value)) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(id)
        }
    }
}
