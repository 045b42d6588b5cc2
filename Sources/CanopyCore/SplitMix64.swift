/// A small, fast, seedable random number generator (SplitMix64, Steele et al. 2014): the same seed gives the same
/// sequence on every run and platform — for generated benchmark logs and reproducible randomized tests, never for
/// anything secret.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<n` (0 when `n` < 1); the slight modulo bias does not matter for workloads.
    package mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }

    /// A value in `0..<1`.
    package mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
