import Foundation

/// The learning rate (and, for one-cycle, β₁) of each optimiser step.
public protocol LearningRateSchedule: Sendable {
    /// The settings of step `step` (0-based: the first `optimizer.step()`).
    /// - Parameter step: The step.
    /// - Returns: The learning rate, and β₁ when the schedule cycles momentum.
    func settings(at step: Int) -> (learningRate: Double, beta1: Double?)
}

/// PyTorch's `OneCycleLR` (two phases, cosine annealing, momentum cycled on β₁): from max / `divFactor` up to `max`
/// over the first `pctStart` of the steps while β₁ falls from `maxMomentum` to `baseMomentum`, then down to
/// initial / `finalDivFactor` while β₁ rises back.
public struct OneCycleSchedule: LearningRateSchedule, Hashable {
    /// The peak learning rate.
    public var maxLearningRate: Double
    /// The number of optimiser steps.
    public var totalSteps: Int
    /// The fraction of steps spent rising (default 0.3).
    public var pctStart: Double
    /// initial = max / divFactor (default 25).
    public var divFactor: Double
    /// final = initial / finalDivFactor (default 1e4).
    public var finalDivFactor: Double
    /// β₁ at the peak (default 0.85).
    public var baseMomentum: Double
    /// β₁ at the ends (default 0.95).
    public var maxMomentum: Double

    /// Creates the schedule with PyTorch's defaults unless given.
    /// - Parameters:
    ///   - maxLearningRate: The peak.
    ///   - totalSteps: Optimiser steps in the run.
    ///   - pctStart: Default 0.3.
    ///   - divFactor: Default 25.
    ///   - finalDivFactor: Default 1e4.
    ///   - baseMomentum: Default 0.85.
    ///   - maxMomentum: Default 0.95.
    public init(maxLearningRate: Double, totalSteps: Int, pctStart: Double = 0.3, divFactor: Double = 25,
                finalDivFactor: Double = 1e4, baseMomentum: Double = 0.85, maxMomentum: Double = 0.95) {
        self.maxLearningRate = maxLearningRate
        self.totalSteps = totalSteps
        self.pctStart = pctStart
        self.divFactor = divFactor
        self.finalDivFactor = finalDivFactor
        self.baseMomentum = baseMomentum
        self.maxMomentum = maxMomentum
    }

    /// Cosine interpolation from `start` (pct 0) to `end` (pct 1).
    static func cosine(_ start: Double, _ end: Double, _ pct: Double) -> Double { end + (start - end) / 2 * (cos(Double.pi * pct) + 1) }

    public func settings(at step: Int) -> (learningRate: Double, beta1: Double?) {
        let initial = maxLearningRate / divFactor, minimum = initial / finalDivFactor
        let peak = pctStart * Double(totalSteps) - 1, last = Double(totalSteps - 1)
        let s = Double(step)
        if s <= peak {
            let pct = s / peak
            return (Self.cosine(initial, maxLearningRate, pct), Self.cosine(maxMomentum, baseMomentum, pct))
        }
        let pct = (s - peak) / (last - peak)
        return (Self.cosine(maxLearningRate, minimum, pct), Self.cosine(baseMomentum, maxMomentum, pct))
    }
}

/// Linear warm-up from 0, then cosine decay to `minimum` at the last step (PyTorch's closed-form cosine annealing).
public struct CosineSchedule: LearningRateSchedule, Hashable {
    /// The rate after warm-up.
    public var learningRate: Double
    /// The number of optimiser steps.
    public var totalSteps: Int
    /// Steps of linear warm-up (default 0).
    public var warmupSteps: Int
    /// The rate at the end (default 0).
    public var minimum: Double

    /// Creates the schedule.
    /// - Parameters:
    ///   - learningRate: The rate after warm-up.
    ///   - totalSteps: Optimiser steps in the run.
    ///   - warmupSteps: Default 0.
    ///   - minimum: Default 0.
    public init(learningRate: Double, totalSteps: Int, warmupSteps: Int = 0, minimum: Double = 0) {
        self.learningRate = learningRate
        self.totalSteps = totalSteps
        self.warmupSteps = warmupSteps
        self.minimum = minimum
    }

    public func settings(at step: Int) -> (learningRate: Double, beta1: Double?) {
        if step < warmupSteps { return (learningRate * Double(step + 1) / Double(warmupSteps), nil) }
        let span = Double(max(1, totalSteps - warmupSteps)), t = Double(step - warmupSteps)
        return (minimum + (learningRate - minimum) * (1 + cos(Double.pi * t / span)) / 2, nil)
    }
}

/// The same rate every step.
public struct ConstantSchedule: LearningRateSchedule, Hashable {
    /// The rate.
    public var learningRate: Double

    /// Creates the schedule.
    /// - Parameter learningRate: The rate.
    public init(learningRate: Double) {
        self.learningRate = learningRate
    }

    public func settings(at step: Int) -> (learningRate: Double, beta1: Double?) { (learningRate, nil) }
}
