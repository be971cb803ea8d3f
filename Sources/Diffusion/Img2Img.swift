import Tensor

/// Image-to-image generation (SDEdit) with classifier-free guidance on class labels, as diffusers' img2img pipelines
/// run it: the schedule's timesteps from `steps`, the first `steps − int(steps × strength)` skipped, the clean image
/// noised to the first kept timestep with `add_noise`, then one scheduler step per kept timestep on the guided
/// prediction `ε_u + g · (ε_c − ε_u)` (guidance applies when g > 1, as in diffusers; otherwise the conditional
/// prediction alone is used).
public struct Img2Img: Sendable {
    /// The model.
    public let model: UNet2DModel
    /// The scheduler.
    public let scheduler: Scheduler

    /// Creates a runner.
    /// - Parameters:
    ///   - model: The UNet.
    ///   - scheduler: Its scheduler.
    public init(model: UNet2DModel, scheduler: Scheduler) {
        self.model = model
        self.scheduler = scheduler
    }

    /// The timesteps an img2img run denoises through.
    /// - Parameters:
    ///   - steps: Steps of the full schedule (1 … T).
    ///   - strength: How far the source is noised, in (0, 1].
    /// - Returns: The kept timesteps, largest first.
    /// - Throws: `.invalidArgument` for steps outside 1 … T, a strength outside (0, 1], or a pair leaving no step.
    public func timesteps(steps: Int, strength: Double) throws(DiffusionError) -> [Int] {
        guard (1...scheduler.schedule.trainTimesteps).contains(steps) else {
            throw DiffusionError(.invalidArgument, "steps \(steps) outside 1...\(scheduler.schedule.trainTimesteps)")
        }
        guard strength > 0, strength <= 1 else { throw DiffusionError(.invalidArgument, "strength \(strength) outside (0, 1]") }
        let kept = min(Int(Double(steps) * strength), steps)
        guard kept >= 1 else {
            throw DiffusionError(.invalidArgument, "steps \(steps) × strength \(strength) leaves no denoising step (int(steps × strength) = 0)")
        }
        return Array(scheduler.timesteps(steps: steps).suffix(kept))
    }

    /// Generates one variant of a clean sample, on one worker's executor.
    /// - Parameters:
    ///   - source: x₀ in model space (`inChannels` channels at the executor's size).
    ///   - classLabel: The class index for conditional models.
    ///   - nullClass: The unconditional class index, for guidance.
    ///   - guidance: The guidance scale.
    ///   - steps: Steps of the full schedule.
    ///   - strength: The img2img strength.
    ///   - noise: The noise (stream 0 initial, stream s + 1 for DDPM's step s).
    ///   - executor: The worker's executor.
    ///   - output: Receives the final sample (model space, same size as `source`).
    /// - Throws: `.invalidArgument` for settings that leave no step or a class outside the embeddings.
    public func generate<Noise: NoiseSource>(source: FeatureMap, classLabel: Int?, nullClass: Int?, guidance: Float, steps: Int,
                                             strength: Double, noise: inout Noise, executor: UNetExecutor,
                                             output: FeatureMap) throws(DiffusionError) {
        let kept = try timesteps(steps: steps, strength: strength)
        let all = scheduler.timesteps(steps: steps)
        let offset = all.count - kept.count
        let classes = model.config.numClassEmbeds
        for label in [classLabel, nullClass].compactMap({ $0 }) where classes == nil || !(0..<classes!).contains(label) {
            throw DiffusionError(.invalidArgument, "class \(label) outside the model's \(classes ?? 0) class embeddings")
        }
        if classes != nil && classLabel == nil { throw DiffusionError(.invalidArgument, "a class-conditional model needs a class") }
        let guided = guidance > 1 && nullClass != nil
        let count = source.count
        output.copy(from: source)
        let fresh = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let conditional = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer {
            fresh.deallocate()
            conditional.deallocate()
        }
        noise.fill(stream: 0, fresh, count: count)
        scheduler.addNoise(output.values, noise: fresh, count: count, timestep: kept[0])
        for (position, timestep) in kept.enumerated() {
            executor.predict(output, timestep: Float(timestep), classLabel: classLabel)
            conditional.update(from: executor.output.values, count: count)
            if guided {
                let unconditional = executor.predict(output, timestep: Float(timestep), classLabel: nullClass).values
                for index in 0..<count {
                    conditional[index] = unconditional[index] + guidance * (conditional[index] - unconditional[index])
                }
            }
            if scheduler.kind == .ddpm && timestep > 0 { noise.fill(stream: 1 + offset + position, fresh, count: count) }
            scheduler.step(conditional, sample: output.values, count: count, timestep: timestep, index: offset + position,
                           timesteps: all, noise: scheduler.kind == .ddpm ? UnsafePointer(fresh) : nil)
        }
    }
}
