/// Counts, for each `a`, how many distinct `b` were seen with it (distinct users per app, apps per IP …).
struct DistinctPairCounter {
    private var seen = PairSet()
    /// Distinct `b` count per `a`.
    private(set) var counts: [Int32: Int] = [:]

    /// Records the pair; counts it if it is new.
    mutating func add(_ a: Int32, _ b: Int32) {
        if seen.insert(a, b) { counts[a, default: 0] += 1 }
    }

    /// The number of distinct `b` seen with `a`.
    func count(_ a: Int32) -> Int { counts[a] ?? 0 }
}

/// Counts, for each dense id `a`, the pairs (a, b) it is given, when the caller guarantees each pair comes once
/// (the cells of an aggregate table, the members of a set): no set of seen pairs needed.
struct UniquePairCounter {
    private var counts: [Int] = []

    /// Counts the pair (a ≥ 0).
    mutating func add(_ a: Int32, _ b: Int32) {
        let i = Int(a)
        if i >= counts.count { counts.append(contentsOf: repeatElement(0, count: i + 1 - counts.count)) }
        counts[i] += 1
    }

    /// The number of pairs counted for `a`.
    func count(_ a: Int32) -> Int { a >= 0 && Int(a) < counts.count ? counts[Int(a)] : 0 }
}
