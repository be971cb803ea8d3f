import Foundation

/// diffusers' sinusoidal timestep projection (`get_timestep_embedding`, the `Timesteps` module), in Float32 as it
/// computes it: frequencies `exp(−ln(max_period) · i / (half − shift))`, arguments `t · frequency · scale`, then
/// `[sin, cos]` (or `[cos, sin]` with `flipSinToCos`), zero-padded to an odd dimension.
public struct SinusoidalTimestepProjection: Sendable, Hashable {
    /// Output dimension.
    public let dimension: Int
    /// Whether cosines come first (diffusers' `flip_sin_to_cos`).
    public let flipSinToCos: Bool
    /// diffusers' `downscale_freq_shift` (`freq_shift` of `UNet2DModel`).
    public let frequencyShift: Float
    /// Scale of the arguments.
    public let scale: Float
    /// The longest period.
    public let maxPeriod: Float

    /// Creates a projection.
    /// - Parameters:
    ///   - dimension: Output dimension (≥ 2).
    ///   - flipSinToCos: Cosines first.
    ///   - frequencyShift: The frequency shift.
    ///   - scale: Argument scale (default 1).
    ///   - maxPeriod: Longest period (default 10,000).
    public init(dimension: Int, flipSinToCos: Bool, frequencyShift: Float, scale: Float = 1, maxPeriod: Float = 10_000) {
        self.dimension = dimension
        self.flipSinToCos = flipSinToCos
        self.frequencyShift = frequencyShift
        self.scale = scale
        self.maxPeriod = maxPeriod
    }

    /// The embedding of one timestep.
    /// - Parameter timestep: The timestep (integer timesteps as the schedulers give them).
    /// - Returns: `dimension` values.
    public func callAsFunction(_ timestep: Float) -> [Float] {
        let half = dimension / 2
        let logPeriod = Float(-Foundation.log(Double(maxPeriod)))
        var output = [Float](repeating: 0, count: dimension)
        for index in 0..<half {
            let exponent = logPeriod * Float(index) / (Float(half) - frequencyShift)
            let argument = scale * (timestep * Foundation.exp(exponent))
            let (sine, cosine) = (Foundation.sin(argument), Foundation.cos(argument))
            output[index] = flipSinToCos ? cosine : sine
            output[half + index] = flipSinToCos ? sine : cosine
        }
        return output
    }
}
