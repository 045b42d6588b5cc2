/// A set of (a, b) pairs of dense ids, packed in 64 bits, with open addressing: 8 bytes a pair.
///
/// Pairs are interned ids (apps, users, IPs, destinations), never raw log text, so a multiplicative hash is safe.
package struct PairSet: Sendable {
    private var slots: [UInt64]
    private var mask: Int
    package private(set) var count = 0

    private static let empty = UInt64.max

    package init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: Self.empty, count: size)
        mask = size - 1
    }

    /// Inserts the pair; true when it was new.
    @inline(__always)
    @discardableResult
    package mutating func insert(_ a: Int32, _ b: Int32) -> Bool {
        let key = UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
        if (count + 1) * 4 > slots.count * 3 { grow() }
        var i = Self.hash(key) & mask
        while true {
            let k = slots[i]
            if k == key { return false }
            if k == Self.empty {
                slots[i] = key
                count += 1
                return true
            }
            i = (i + 1) & mask
        }
    }

    /// Calls `body` for every pair, in no particular order.
    package func forEachPair(_ body: (Int32, Int32) -> Void) {
        for key in slots where key != Self.empty {
            body(
                Int32(bitPattern: UInt32(truncatingIfNeeded: key >> 32)),
                Int32(bitPattern: UInt32(truncatingIfNeeded: key))
            )
        }
    }

    @inline(__always)
    private static func hash(_ key: UInt64) -> Int {
        var x = key &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 32
        return Int(truncatingIfNeeded: x)
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: Self.empty, count: old.count * 2)
        mask = slots.count - 1
        for key in old where key != Self.empty {
            var i = Self.hash(key) & mask
            while slots[i] != Self.empty { i = (i + 1) & mask }
            slots[i] = key
        }
    }
}
