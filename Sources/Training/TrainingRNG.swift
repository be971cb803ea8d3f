/// The trainer's random numbers: SplitMix64 keyed by (seed, stream, step, sample), so a draw depends on where it is
/// used, never on which thread runs it or in what order.
public struct TrainingRNG: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates the generator of one use.
    /// - Parameters:
    ///   - seed: The run's seed.
    ///   - stream: Separates uses (initialisation, a dropout layer, …).
    ///   - step: The optimiser step (0 for initialisation).
    ///   - sample: The sample's position in the batch (0 when not per sample).
    public init(seed: UInt64, stream: UInt64, step: Int = 0, sample: Int = 0) {
        state = seed ^ 0x7261_696E_5347_4944  // "rainSGID"
        state = Self.mix(&state) ^ stream &* 0x9E37_79B9_7F4A_7C15
        state = Self.mix(&state) ^ UInt64(bitPattern: Int64(step)) &* 0xD1B5_4A32_D192_ED03
        state = Self.mix(&state) ^ UInt64(bitPattern: Int64(sample)) &* 0x8CB9_2BA7_2F3D_8DD7
    }

    @inline(__always)
    private static func mix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    /// - Returns: A uniformly distributed value.
    public mutating func next() -> UInt64 { Self.mix(&state) }

    /// A uniform float in [0, 1) (24 random bits).
    /// - Returns: The draw.
    public mutating func uniform() -> Float { Float(next() >> 40) * 0x1.0p-24 }
}
