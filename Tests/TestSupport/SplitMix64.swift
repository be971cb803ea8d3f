/// SplitMix64: a tiny deterministic generator for fuzz and property tests (the same sequence on every machine).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state.
    public var state: UInt64

    /// Creates a generator.
    /// - Parameter seed: The seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0 ..< bound` (0 when `bound` ≤ 1).
    /// - Parameter bound: The exclusive upper bound.
    /// - Returns: The number.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(Swift.max(1, bound))) }
}
