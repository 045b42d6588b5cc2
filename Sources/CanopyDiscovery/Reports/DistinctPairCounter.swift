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
