import Foundation

/// The random-number generator handed to augmenters: counter-based, so its stream depends only on
/// (seed, epoch, the sample's position in the epoch's global order) — never on threads, timing or prefetch depth.
///
/// The state is derived by mixing the three numbers with SplitMix64; draws come from xoshiro256**.
/// Each augmenter draws only from the generator it is given.
public struct SampleRNG: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Creates the generator of one sample.
    /// - Parameters:
    ///   - seed: The run's seed.
    ///   - epoch: The epoch number.
    ///   - position: The sample's position in the epoch's global order.
    ///   - stream: Separates independent uses for the same sample (0 for augmentation).
    public init(seed: UInt64, epoch: Int, position: Int, stream: UInt64 = 0) {
        var mixer = seed ^ 0x5347_4944_4B69_7421  // "SGIDKit!"
        mixer = Self.splitMix(&mixer) ^ UInt64(bitPattern: Int64(epoch)) &* 0x9E37_79B9_7F4A_7C15
        mixer = Self.splitMix(&mixer) ^ UInt64(bitPattern: Int64(position)) &* 0xD1B5_4A32_D192_ED03
        mixer = Self.splitMix(&mixer) ^ stream &* 0x8CB9_2BA7_2F3D_8DD7
        s0 = Self.splitMix(&mixer)
        s1 = Self.splitMix(&mixer)
        s2 = Self.splitMix(&mixer)
        s3 = Self.splitMix(&mixer)
    }

    /// The generator's state as 64 hexadecimal digits (four words), to resume this exact stream later
    /// (`init(state:)`); replay records use it for noise too large to list.
    public var state: String { [s0, s1, s2, s3].map { String(repeating: "0", count: 16 - String($0, radix: 16).count)
        + String($0, radix: 16) }.joined() }

    /// Resumes a generator from a `state` string.
    /// - Parameter state: 64 hexadecimal digits.
    /// - Returns: `nil` when the text is not 64 hexadecimal digits.
    public init?(state: String) {
        let text = Array(state.utf8)
        guard text.count == 64 else { return nil }
        var words: [UInt64] = []
        for start in stride(from: 0, to: 64, by: 16) {
            guard let word = UInt64(String(decoding: text[start..<(start + 16)], as: UTF8.self), radix: 16) else { return nil }
            words.append(word)
        }
        (s0, s1, s2, s3) = (words[0], words[1], words[2], words[3])
    }

    /// Creates a generator for a (seed, epoch) pair: shard and sample shuffles of an epoch.
    /// - Parameters:
    ///   - seed: The run's seed.
    ///   - epoch: The epoch number.
    ///   - purpose: Separates independent uses (shard shuffle, sample shuffle, …).
    public init(seed: UInt64, epoch: Int, purpose: UInt64) {
        self.init(seed: seed, epoch: epoch, position: -1, stream: purpose)
    }

    @inline(__always)
    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    /// - Returns: A uniformly distributed value.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform double in [0, 1).
    /// - Returns: The draw (53 random bits).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform double in [lower, upper).
    /// - Parameters:
    ///   - lower: Inclusive lower bound.
    ///   - upper: Exclusive upper bound.
    /// - Returns: The draw.
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * uniform() }

    /// A uniform integer in `range` (unbiased).
    /// - Parameter range: The allowed values.
    /// - Returns: The draw.
    public mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// Whether an event of probability `p` happens (`p ≤ 0` never draws and is false, `p ≥ 1` never draws and is true,
    /// as albumentations and torchvision do).
    /// - Parameter p: The probability.
    /// - Returns: The outcome.
    public mutating func chance(_ p: Double) -> Bool {
        if p <= 0 { return false }
        if p >= 1 { return true }
        return uniform() < p
    }

    /// A standard normal draw scaled to mean and standard deviation (Box–Muller).
    /// - Parameters:
    ///   - mean: The mean.
    ///   - deviation: The standard deviation.
    /// - Returns: The draw.
    public mutating func normal(mean: Double = 0, deviation: Double = 1) -> Double {
        let u1 = 1 - uniform()  // (0, 1]
        let u2 = uniform()
        return mean + deviation * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A Gamma(shape, 1) draw (Marsaglia–Tsang; shape < 1 boosted).
    /// - Parameter shape: The shape parameter (> 0).
    /// - Returns: The draw.
    public mutating func gamma(shape: Double) -> Double {
        if shape < 1 {
            let boost = pow(1 - uniform(), 1 / shape)  // U^(1/shape), U in (0, 1]
            return gamma(shape: shape + 1) * boost
        }
        let d = shape - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = 1 - uniform()
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A Beta(alpha, beta) draw.
    /// - Parameters:
    ///   - alpha: First shape parameter (> 0).
    ///   - beta: Second shape parameter (> 0).
    /// - Returns: The draw in [0, 1].
    public mutating func beta(_ alpha: Double, _ beta: Double) -> Double {
        let x = gamma(shape: alpha), y = gamma(shape: beta)
        return x + y == 0 ? 0.5 : x / (x + y)
    }
}
