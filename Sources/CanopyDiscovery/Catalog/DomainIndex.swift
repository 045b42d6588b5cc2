/// Longest-suffix domain → app lookup over bytes (STYLE.md §15: hash label boundaries, verify with a byte
/// compare; no `String` keys on the hot path).
///
/// One right-to-left pass over the host computes the hash of every suffix that starts at a label boundary; the
/// probes then go from the longest suffix to the shortest, so the most specific rule wins
/// (`teams.microsoft.com` before `microsoft.com`). Matching is ASCII case-insensitive; rules are stored lowercase.
package struct DomainIndex: Sendable {
    private struct Slot {
        var hash: UInt64
        var offset: Int32
        var length: Int32
        var value: Int32
        var exactOnly: Bool
    }

    private var slots: [Slot]
    private var arena: [UInt8] = []
    private var mask: Int
    package private(set) var count = 0

    /// Creates an index sized for `capacity` rules.
    package init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(hash: 0, offset: -1, length: 0, value: 0, exactOnly: false), count: size)
        mask = size - 1
    }

    /// Adds a rule. `suffix` rules match the domain and its subdomains; exact rules only the host itself.
    /// An existing rule for the same domain keeps its value (first wins).
    ///
    /// - Returns: false if the rule already existed.
    @discardableResult
    package mutating func insert(domain: String, value: Int32, exactOnly: Bool = false) -> Bool {
        var bytes = Array(domain.utf8)
        for i in bytes.indices where bytes[i] >= 65 && bytes[i] <= 90 { bytes[i] |= 0x20 }
        while bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        while bytes.first == UInt8(ascii: ".") { bytes.removeFirst() }
        guard !bytes.isEmpty else { return false }
        if count * 2 >= slots.count { grow() }
        let h = bytes.withUnsafeBufferPointer { DomainIndex.hash($0, 0, $0.count) }
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i].offset >= 0 {
            if slots[i].hash == h && equal(slots[i], bytes) && slots[i].exactOnly == exactOnly { return false }
            i = (i + 1) & mask
        }
        slots[i] = Slot(
            hash: h,
            offset: Int32(arena.count),
            length: Int32(bytes.count),
            value: value,
            exactOnly: exactOnly
        )
        arena.append(contentsOf: bytes)
        count += 1
        return true
    }

    /// The value of the longest rule matching `host` (without port or trailing dot).
    package func lookup(_ host: Bytes) -> Int32? {
        let n = host.count
        guard n > 0, n <= 253 else { return nil }
        // Right-to-left hash; remember the hash at every label start.
        var starts: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var hashes:
            (
                UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                UInt64, UInt64, UInt64, UInt64
            ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var found = 0
        var h: UInt64 = DomainIndex.seed
        var i = n - 1
        withUnsafeMutableBytes(of: &starts) { startsRaw in
            withUnsafeMutableBytes(of: &hashes) { hashesRaw in
                let s = startsRaw.bindMemory(to: Int.self)
                let hs = hashesRaw.bindMemory(to: UInt64.self)
                while i >= 0 {
                    var b = host[i]
                    if b >= 65 && b <= 90 { b |= 0x20 }
                    if b == UInt8(ascii: ".") && found < 16 {
                        s[found] = i + 1
                        hs[found] = h
                        found += 1
                    }
                    h = (h ^ UInt64(b)) &* DomainIndex.prime
                    i -= 1
                }
                if found < 16 {
                    s[found] = 0
                    hs[found] = h
                    found += 1
                }
            }
        }
        // Probe longest (last recorded) to shortest.
        return withUnsafeBytes(of: &starts) { startsRaw in
            withUnsafeBytes(of: &hashes) { hashesRaw in
                let s = startsRaw.bindMemory(to: Int.self)
                let hs = hashesRaw.bindMemory(to: UInt64.self)
                var k = found - 1
                while k >= 0 {
                    let start = s[k]
                    if let v = probe(hs[k], host, start, exact: start == 0) { return v }
                    k -= 1
                }
                return nil
            }
        }
    }

    /// The value for a `String` host (tests and tools).
    package func lookup(_ host: String) -> Int32? {
        var bytes = Array(host.utf8)
        return bytes.withUnsafeMutableBufferPointer { lookup(Bytes($0)) }
    }

    private func probe(_ h: UInt64, _ host: Bytes, _ start: Int, exact: Bool) -> Int32? {
        var i = Int(truncatingIfNeeded: h) & mask
        let length = host.count - start
        while true {
            let slot = slots[i]
            if slot.offset < 0 { return nil }
            if slot.hash == h, Int(slot.length) == length, !slot.exactOnly || exact {
                var same = true
                arena.withUnsafeBufferPointer { a in
                    let base = Int(slot.offset)
                    for k in 0..<length {
                        var b = host[start + k]
                        if b >= 65 && b <= 90 { b |= 0x20 }
                        if a[base + k] != b {
                            same = false
                            break
                        }
                    }
                }
                if same { return slot.value }
            }
            i = (i + 1) & mask
        }
    }

    private func equal(_ slot: Slot, _ bytes: [UInt8]) -> Bool {
        guard Int(slot.length) == bytes.count else { return false }
        let base = Int(slot.offset)
        for k in 0..<bytes.count where arena[base + k] != bytes[k] { return false }
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](
            repeating: Slot(hash: 0, offset: -1, length: 0, value: 0, exactOnly: false),
            count: old.count * 2
        )
        mask = slots.count - 1
        for slot in old where slot.offset >= 0 {
            var i = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[i].offset >= 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }

    private static let seed: UInt64 = 0xCBF2_9CE4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// FNV-1a over `bytes[from..<to]` read right to left, lowercased: the same order as ``lookup(_:)-3r3mq``.
    private static func hash(_ bytes: Bytes, _ from: Int, _ to: Int) -> UInt64 {
        var h = seed
        var i = to - 1
        while i >= from {
            var b = bytes[i]
            if b >= 65 && b <= 90 { b |= 0x20 }
            h = (h ^ UInt64(b)) &* prime
            i -= 1
        }
        return h
    }
}
