import Foundation

/// The β schedule of a diffusion model and its cumulative ᾱ, in Float32 as diffusers' schedulers compute them.
public struct NoiseSchedule: Sendable, Hashable {
    /// How the βs are laid out.
    public enum Kind: Sendable, Hashable {
        /// `torch.linspace(start, end, T)`.
        case linear(start: Double, end: Double)
        /// `torch.linspace(√start, √end, T) ** 2`.
        case scaledLinear(start: Double, end: Double)
        /// The Glide cosine schedule: ᾱ(t) = cos²((t/T + 0.008)/1.008 · π/2), each β capped at 0.999.
        case squaredCosine
        /// Given βs (`trained_betas`).
        case trained([Double])
    }

    /// The βs, one per training timestep.
    public let betas: [Float]
    /// ᾱ: the cumulative product of 1 − β.
    public let alphasCumprod: [Float]

    /// Training timesteps.
    public var trainTimesteps: Int { betas.count }

    /// Computes a schedule.
    /// - Parameters:
    ///   - kind: The layout.
    ///   - trainTimesteps: T (for `trained`, the list's length).
    public init(_ kind: Kind, trainTimesteps: Int) {
        switch kind {
        case .linear(let start, let end):
            betas = Self.linspace(Float(start), Float(end), count: trainTimesteps)
        case .scaledLinear(let start, let end):
            betas = Self.linspace(Float(start.squareRoot()), Float(end.squareRoot()), count: trainTimesteps).map { $0 * $0 }
        case .squaredCosine:
            func alphaBar(_ t: Double) -> Double {
                let value = Foundation.cos((t + 0.008) / 1.008 * Double.pi / 2)
                return value * value
            }
            betas = (0..<trainTimesteps).map { index in
                let t1 = Double(index) / Double(trainTimesteps), t2 = Double(index + 1) / Double(trainTimesteps)
                return Float(Swift.min(1 - alphaBar(t2) / alphaBar(t1), 0.999))
            }
        case .trained(let values):
            betas = values.map(Float.init)
        }
        var product: Float = 1
        alphasCumprod = betas.map { beta in
            product *= 1 - beta
            return product
        }
    }

    /// `torch.linspace` in Float32: the first half counts up from `start`, the second down from `end`.
    static func linspace(_ start: Float, _ end: Float, count: Int) -> [Float] {
        guard count > 1 else { return count == 1 ? [start] : [] }
        let step = (end - start) / Float(count - 1)
        let halfway = count / 2
        return (0..<count).map { index in
            index < halfway ? start + step * Float(index) : end - step * Float(count - index - 1)
        }
    }
}

/// How inference timesteps are spread over the training ones (diffusers' `timestep_spacing`).
public enum TimestepSpacing: String, Sendable, Hashable {
    /// Multiples of T / steps from 0, plus `steps_offset` (the DDPM/DDIM default).
    case leading
    /// `round(linspace(0, T − 1, steps))`.
    case linspace
    /// From T down in steps of T / steps, minus one.
    case trailing

    /// The inference timesteps, largest first, as diffusers' `set_timesteps` computes them (numpy's rounding: half to
    /// even).
    /// - Parameters:
    ///   - steps: Inference steps.
    ///   - trainTimesteps: T.
    ///   - stepsOffset: diffusers' `steps_offset` (leading only).
    /// - Returns: The timesteps.
    public func timesteps(steps: Int, trainTimesteps: Int, stepsOffset: Int) -> [Int] {
        switch self {
        case .leading:
            let ratio = trainTimesteps / steps
            return (0..<steps).reversed().map { $0 * ratio + stepsOffset }
        case .linspace:
            let last = Double(trainTimesteps - 1)
            let values: [Double] = steps == 1 ? [0] : (0..<steps).map { index in
                // numpy.linspace: start + i·step, the last value exactly `stop`.
                index == steps - 1 ? last : Double(index) * (last / Double(steps - 1))
            }
            return values.reversed().map { Int($0.rounded(.toNearestOrEven)) }
        case .trailing:
            // numpy.arange(T, 0, −T/steps): ceil(T / (T/steps)) values T − i·(T/steps).
            let ratio = Double(trainTimesteps) / Double(steps)
            let count = Int((Double(0 - trainTimesteps) / -ratio).rounded(.up))
            return (0..<count).map { Int((Double(trainTimesteps) + Double($0) * -ratio).rounded(.toNearestOrEven)) - 1 }
        }
    }
}
