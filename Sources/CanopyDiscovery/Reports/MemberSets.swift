/// For each dense key (an app, a source IP, an unknown domain), the distinct dense members (source IPs, users) seen
/// with it, exactly, in memory bounded by both the number of pairs and the key count × member count.
///
/// A key's members start as a sorted array of ids (8 bytes each) and become a bitset over the member ids once that
/// is smaller (more than one member in 64 of the id space): the long tail of sites seen by one or two users stays
/// small, and a site every user visits costs one bit a user. A pair set would need 8 bytes a pair — measured: 6 M
/// pairs (64 MB of table) for 3,000 unknown domains × 2,000 users at 10 M lines — and a random probe into it per
/// record, where a popular app's bitset stays in the cache.
package struct MemberSets: Sendable {
    /// One key's members: sorted ids, one per word, or a bitset over the ids. A plain struct rather than an enum
    /// with array payloads, so that reading it on the per-record path does not retain the array.
    private struct Members: Sendable {
        var isDense = false
        var count = 0
        var words: [UInt64] = []
    }

    private var sets: [Members] = []

    package init() {}

    /// Adds `member` (≥ 0) to the set of `key` (≥ 0, dense).
    @inline(__always)
    package mutating func insert(_ key: Int32, _ member: Int32) {
        let k = Int(key)
        if k >= sets.count { sets.append(contentsOf: repeatElement(Members(), count: k + 1 - sets.count)) }
        let m = UInt64(UInt32(bitPattern: member))
        if sets[k].isDense {
            let word = Int(m >> 6)
            let bit: UInt64 = 1 << (m & 63)
            if word < sets[k].words.count, sets[k].words[word] & bit != 0 { return }
            if word >= sets[k].words.count {
                sets[k].words.append(contentsOf: repeatElement(0, count: word + 1 - sets[k].words.count))
            }
            sets[k].words[word] |= bit
            sets[k].count += 1
            return
        }
        var lo = 0
        var hi = sets[k].count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if sets[k].words[mid] < m { lo = mid + 1 } else { hi = mid }
        }
        if lo < sets[k].count, sets[k].words[lo] == m { return }
        sets[k].words.insert(m, at: lo)
        sets[k].count += 1
        let largest = Int(sets[k].words[sets[k].count - 1])
        if sets[k].count * 64 > largest + 64 { densify(k, largest: largest) }
    }

    private mutating func densify(_ k: Int, largest: Int) {
        var bits = [UInt64](repeating: 0, count: largest / 64 + 1)
        for id in sets[k].words { bits[Int(id >> 6)] |= 1 << (id & 63) }
        sets[k].words = bits
        sets[k].isDense = true
    }

    /// The number of distinct members of `key`.
    package func count(_ key: Int32) -> Int { Int(key) < sets.count ? sets[Int(key)].count : 0 }

    /// Calls `body` for every (key, member) pair.
    package func forEachPair(_ body: (Int32, Int32) -> Void) {
        for (k, set) in sets.enumerated() {
            if set.isDense {
                for (w, word) in set.words.enumerated() where word != 0 {
                    var rest = word
                    while rest != 0 {
                        body(Int32(k), Int32(w * 64 + rest.trailingZeroBitCount))
                        rest &= rest - 1
                    }
                }
            } else {
                for id in set.words { body(Int32(k), Int32(truncatingIfNeeded: id)) }
            }
        }
    }
}
