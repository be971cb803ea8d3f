import Foundation

/// The sampling rule of a scheduler.
public enum SchedulerKind: String, Sendable, Hashable {
    /// diffusers' `DDIMScheduler` with η = 0 (deterministic).
    case ddim = "DDIMScheduler"
    /// diffusers' `DDPMScheduler` (ancestral: fresh noise at every step but the last).
    case ddpm = "DDPMScheduler"
}

/// What the model predicts.
public enum PredictionType: String, Sendable, Hashable {
    /// The noise ε.
    case epsilon
    /// v = √ᾱ · ε − √(1 − ᾱ) · x₀.
    case vPrediction = "v_prediction"
    /// x₀ itself.
    case sample
}

/// DDPM's variance of the added noise (diffusers' `variance_type`; the learned ones are not supported).
public enum DDPMVariance: String, Sendable, Hashable {
    /// β̃ₜ = (1 − ᾱₜ₋₁) / (1 − ᾱₜ) · βₜ, clamped at 1e-20.
    case fixedSmall = "fixed_small"
    /// The same through exp(½ log β̃ₜ).
    case fixedSmallLog = "fixed_small_log"
    /// βₜ.
    case fixedLarge = "fixed_large"
}

/// A DDIM or DDPM scheduler as diffusers builds it from `scheduler_config.json`, with the arithmetic of its `step`
/// and `add_noise` in diffusers' Float32 order.
public struct Scheduler: Sendable, Hashable {
    /// DDIM or DDPM.
    public var kind: SchedulerKind
    /// The β schedule.
    public var schedule: NoiseSchedule
    /// What the model predicts.
    public var predictionType: PredictionType
    /// Whether the predicted x₀ is clipped to ±`clipSampleRange`.
    public var clipSample: Bool
    /// The clip bound.
    public var clipSampleRange: Float
    /// DDIM: whether ᾱ before the first training step is 1 (else ᾱ₀).
    public var setAlphaToOne: Bool
    /// Added to leading timesteps.
    public var stepsOffset: Int
    /// How inference timesteps are spread.
    public var timestepSpacing: TimestepSpacing
    /// DDPM's noise variance.
    public var variance: DDPMVariance

    /// Reads a `scheduler_config.json`.
    /// - Parameters:
    ///   - file: The path.
    ///   - kind: Run it as this scheduler instead of its `_class_name` (as `DDIMScheduler.from_config(ddpm.config)`
    ///     does: keys of the other class are ignored, missing ones take their defaults).
    /// - Throws: `DiffusionError` naming the file and key for bad JSON, unsupported values and unknown keys.
    public init(file: String, as kind: SchedulerKind? = nil) throws(DiffusionError) {
        var reader = try ConfigReader(file: file)
        let className = reader.values["_class_name"] as? String
        guard let own = className.flatMap(SchedulerKind.init(rawValue:)) ?? kind else {
            throw DiffusionError(.unsupported, "_class_name \(className ?? "(missing)") is not DDIMScheduler or DDPMScheduler", file: file)
        }
        self.kind = kind ?? own
        let timesteps = try reader.integer("num_train_timesteps", default: 1000)!
        let start = try reader.number("beta_start", default: 0.0001)!
        let end = try reader.number("beta_end", default: 0.02)!
        let layout = try reader.string("beta_schedule", default: "linear")!
        if let trained = try reader.numbers("trained_betas") {
            schedule = NoiseSchedule(.trained(trained), trainTimesteps: trained.count)
        } else {
            switch layout {
            case "linear": schedule = NoiseSchedule(.linear(start: start, end: end), trainTimesteps: timesteps)
            case "scaled_linear": schedule = NoiseSchedule(.scaledLinear(start: start, end: end), trainTimesteps: timesteps)
            case "squaredcos_cap_v2": schedule = NoiseSchedule(.squaredCosine, trainTimesteps: timesteps)
            default: throw reader.unsupported("beta_schedule", layout, supported: "linear, scaled_linear, squaredcos_cap_v2")
            }
        }
        guard schedule.trainTimesteps >= 1 else { throw DiffusionError(.badConfig, "no training timesteps", file: file) }
        let prediction = try reader.string("prediction_type", default: "epsilon")!
        guard let predictionType = PredictionType(rawValue: prediction) else {
            throw reader.unsupported("prediction_type", prediction, supported: "epsilon, v_prediction, sample")
        }
        self.predictionType = predictionType
        clipSample = try reader.bool("clip_sample", default: true)
        clipSampleRange = Float(try reader.number("clip_sample_range", default: 1)!)
        if try reader.bool("thresholding", default: false) { throw reader.unsupported("thresholding", true, supported: "false") }
        _ = try reader.number("dynamic_thresholding_ratio")  // only with thresholding
        _ = try reader.number("sample_max_value")
        if try reader.bool("rescale_betas_zero_snr", default: false) {
            throw reader.unsupported("rescale_betas_zero_snr", true, supported: "false")
        }
        stepsOffset = try reader.integer("steps_offset", default: 0)!
        let spacing = try reader.string("timestep_spacing", default: "leading")!
        guard let timestepSpacing = TimestepSpacing(rawValue: spacing) else {
            throw reader.unsupported("timestep_spacing", spacing, supported: "leading, linspace, trailing")
        }
        self.timestepSpacing = timestepSpacing
        setAlphaToOne = try reader.bool("set_alpha_to_one", default: true)
        let varianceName = try reader.string("variance_type", default: "fixed_small")!
        if self.kind == .ddpm {
            guard let variance = DDPMVariance(rawValue: varianceName) else {
                throw reader.unsupported("variance_type", varianceName, supported: "fixed_small, fixed_small_log, fixed_large")
            }
            self.variance = variance
        } else {
            variance = .fixedSmall
        }
        if own != self.kind { reader.ignore("set_alpha_to_one", "variance_type", "clip_sample_range") }
        try reader.refuseUnknownKeys()
    }

    /// Creates a scheduler from values.
    /// - Parameters:
    ///   - kind: DDIM or DDPM.
    ///   - schedule: The β schedule.
    ///   - predictionType: What the model predicts.
    ///   - clipSample: Clip x₀.
    ///   - clipSampleRange: The clip bound.
    ///   - setAlphaToOne: DDIM's final ᾱ.
    ///   - stepsOffset: Leading offset.
    ///   - timestepSpacing: Spacing.
    ///   - variance: DDPM's variance.
    public init(kind: SchedulerKind, schedule: NoiseSchedule, predictionType: PredictionType = .epsilon, clipSample: Bool = true,
                clipSampleRange: Float = 1, setAlphaToOne: Bool = true, stepsOffset: Int = 0,
                timestepSpacing: TimestepSpacing = .leading, variance: DDPMVariance = .fixedSmall) {
        self.kind = kind
        self.schedule = schedule
        self.predictionType = predictionType
        self.clipSample = clipSample
        self.clipSampleRange = clipSampleRange
        self.setAlphaToOne = setAlphaToOne
        self.stepsOffset = stepsOffset
        self.timestepSpacing = timestepSpacing
        self.variance = variance
    }

    /// The inference timesteps for a step count, largest first.
    /// - Parameter steps: Inference steps (1 … T).
    /// - Returns: The timesteps.
    public func timesteps(steps: Int) -> [Int] {
        timestepSpacing.timesteps(steps: steps, trainTimesteps: schedule.trainTimesteps, stepsOffset: stepsOffset)
    }

    /// `add_noise`: √ᾱₜ · x₀ + √(1 − ᾱₜ) · ε, elementwise.
    /// - Parameters:
    ///   - sample: x₀, updated in place.
    ///   - noise: ε.
    ///   - count: Elements.
    ///   - timestep: t.
    public func addNoise(_ sample: UnsafeMutablePointer<Float>, noise: UnsafePointer<Float>, count: Int, timestep: Int) {
        let alpha = schedule.alphasCumprod[timestep]
        let (a, b) = (alpha.squareRoot(), (1 - alpha).squareRoot())
        for index in 0..<count { sample[index] = a * sample[index] + b * noise[index] }
    }

    /// ᾱ at a timestep, or the value before the first (`prev < 0`).
    func alphaBar(_ timestep: Int, final: Float) -> Float { timestep >= 0 ? schedule.alphasCumprod[timestep] : final }

    /// One denoising step from `sample` at `timestep` to the previous timestep, in place.
    /// - Parameters:
    ///   - modelOutput: The (guided) model prediction.
    ///   - sample: xₜ, replaced by xₜ₋₁.
    ///   - count: Elements.
    ///   - timestep: t.
    ///   - index: t's position in `timesteps` (DDPM's previous timestep is the next entry).
    ///   - timesteps: The inference timesteps.
    ///   - noise: DDPM's fresh noise for this step (required when t > 0); DDIM ignores it.
    public func step(_ modelOutput: UnsafePointer<Float>, sample: UnsafeMutablePointer<Float>, count: Int, timestep: Int,
                     index: Int, timesteps: [Int], noise: UnsafePointer<Float>?) {
        let alphaT = schedule.alphasCumprod[timestep]
        let betaT = 1 - alphaT
        let (rootAlpha, rootBeta) = (alphaT.squareRoot(), betaT.squareRoot())
        func original(_ i: Int) -> (x0: Float, epsilon: Float) {
            let (x, output) = (sample[i], modelOutput[i])
            var x0: Float, epsilon: Float
            switch predictionType {
            case .epsilon:
                x0 = (x - rootBeta * output) / rootAlpha
                epsilon = output
            case .sample:
                x0 = output
                epsilon = (x - rootAlpha * x0) / rootBeta
            case .vPrediction:
                x0 = rootAlpha * x - rootBeta * output
                epsilon = rootAlpha * output + rootBeta * x
            }
            if clipSample { x0 = Swift.min(Swift.max(x0, -clipSampleRange), clipSampleRange) }
            return (x0, epsilon)
        }
        switch kind {
        case .ddim:
            let previous = timestep - schedule.trainTimesteps / timesteps.count
            let alphaPrev = alphaBar(previous, final: setAlphaToOne ? 1 : schedule.alphasCumprod[0])
            let (rootAlphaPrev, direction) = (alphaPrev.squareRoot(), (1 - alphaPrev - 0).squareRoot())
            for i in 0..<count {
                let (x0, epsilon) = original(i)
                sample[i] = rootAlphaPrev * x0 + direction * epsilon
            }
        case .ddpm:
            let previous = index + 1 < timesteps.count ? timesteps[index + 1] : -1
            let alphaPrev = alphaBar(previous, final: 1)
            let betaPrev = 1 - alphaPrev
            let currentAlpha = alphaT / alphaPrev
            let currentBeta = 1 - currentAlpha
            let originalCoefficient = (alphaPrev.squareRoot() * currentBeta) / betaT
            let sampleCoefficient = currentAlpha.squareRoot() * betaPrev / betaT
            var deviation: Float = 0
            if timestep > 0 {
                let small = Swift.max((1 - alphaPrev) / (1 - alphaT) * currentBeta, 1e-20)
                switch variance {
                case .fixedSmall: deviation = small.squareRoot()
                case .fixedSmallLog: deviation = Foundation.exp(0.5 * Foundation.log(small))
                case .fixedLarge: deviation = currentBeta.squareRoot()
                }
            }
            for i in 0..<count {
                let (x0, _) = original(i)
                var previousSample = originalCoefficient * x0 + sampleCoefficient * sample[i]
                if timestep > 0, let noise { previousSample = previousSample + deviation * noise[i] }
                sample[i] = previousSample
            }
        }
    }
}
