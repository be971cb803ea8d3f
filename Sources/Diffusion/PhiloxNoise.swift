import Foundation

/// Where a generation's Gaussian noise comes from: the initial noise, and (for DDPM) one draw per denoising step.
/// The native runtime's own is `PhiloxNoise`; tests pass recorded noise instead.
public protocol NoiseSource {
    /// Fills `output` with `count` standard normal values of a stream (0: the initial noise; s ≥ 1: DDPM step s − 1).
    /// - Parameters:
    ///   - stream: The stream.
    ///   - output: Room for `count` values.
    ///   - count: How many.
    mutating func fill(stream: Int, _ output: UnsafeMutablePointer<Float>, count: Int)
}

/// Counter-based Gaussian noise: value i of a stream is the same whatever thread computes it or in what order, so a
/// seed gives the same generation on any number of threads.
///
/// Philox4x32-10 (Salmon et al., SC'11; the generator of `numpy.random.Philox` and of PyTorch's CUDA backend) keyed
/// by the 64-bit seed (low word, high word), counter (k, stream, 0, 0) for block k, gives four 32-bit words; two
/// uniforms in (0, 1] are made of 64 bits each, u = (w₀ + 2³²·w₁ + 1) · 2⁻⁶⁴ in double and likewise from w₂, w₃; Box–Muller
/// turns them into values 2k and 2k + 1: √(−2 ln u₁) · cos(2π u₂) and √(−2 ln u₁) · sin(2π u₂), computed in double and
/// rounded to Float32.
public struct PhiloxNoise: NoiseSource, Sendable {
    /// The seed.
    public let seed: UInt64

    /// Creates a source.
    /// - Parameter seed: The variant's seed.
    public init(seed: UInt64) { self.seed = seed }

    /// Philox4x32 with 10 rounds: four 32-bit words of a counter under a 64-bit key.
    /// - Parameters:
    ///   - counter: The counter.
    ///   - key: The key.
    /// - Returns: The four words.
    public static func block(counter: (UInt32, UInt32, UInt32, UInt32), key: (UInt32, UInt32)) -> (UInt32, UInt32, UInt32, UInt32) {
        var (c0, c1, c2, c3) = counter
        var (k0, k1) = key
        for round in 0..<10 {
            if round > 0 {
                k0 &+= 0x9E37_79B9
                k1 &+= 0xBB67_AE85
            }
            let product0 = UInt64(0xD251_1F53) * UInt64(c0), product1 = UInt64(0xCD9E_8D57) * UInt64(c2)
            let (hi0, lo0) = (UInt32(product0 >> 32), UInt32(truncatingIfNeeded: product0))
            let (hi1, lo1) = (UInt32(product1 >> 32), UInt32(truncatingIfNeeded: product1))
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
        }
        return (c0, c1, c2, c3)
    }

    /// Fills `count` values of a stream.
    /// - Parameters:
    ///   - stream: The stream (0: the initial noise; s ≥ 1: DDPM step s − 1).
    ///   - output: Room for `count` values.
    ///   - count: How many.
    public func fill(stream: Int, _ output: UnsafeMutablePointer<Float>, count: Int) {
        let key = (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
        let scale = 1 / (Double(UInt64.max) + 2)
        for blockIndex in 0..<(count + 1) / 2 {
            let words = Self.block(counter: (UInt32(truncatingIfNeeded: blockIndex), UInt32(truncatingIfNeeded: stream), 0, 0), key: key)
            let u1 = (Double(UInt64(words.0) | UInt64(words.1) << 32) + 1) * scale
            let u2 = (Double(UInt64(words.2) | UInt64(words.3) << 32) + 1) * scale
            let radius = (-2 * Foundation.log(u1)).squareRoot(), angle = 2 * Double.pi * u2
            output[2 * blockIndex] = Float(radius * Foundation.cos(angle))
            if 2 * blockIndex + 1 < count { output[2 * blockIndex + 1] = Float(radius * Foundation.sin(angle)) }
        }
    }
}
