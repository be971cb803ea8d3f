import Foundation

/// AdamW as PyTorch's `torch.optim.AdamW` runs it on CPU (the single-tensor loop): decoupled weight decay
/// p ← p · (1 − lr · λ), m ← lerp(m, g, 1 − β₁), v ← β₂ v + (1 − β₂) g², p ← p − lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε),
/// scalars in double, rounded to float where PyTorch hands them to a tensor operation. A schedule may change the
/// learning rate and β₁ every step (one-cycle momentum), as PyTorch's schedulers change the parameter group.
public struct AdamW: Sendable, Hashable {
    /// The learning rate (a schedule overrides it each step).
    public var learningRate: Double
    /// β₁ (a one-cycle schedule overrides it each step).
    public var beta1: Double
    /// β₂.
    public var beta2: Double
    /// ε.
    public var epsilon: Double
    /// λ, decoupled weight decay.
    public var weightDecay: Double
    /// Steps taken.
    public private(set) var steps = 0

    /// Creates the optimiser with PyTorch's defaults unless given.
    /// - Parameters:
    ///   - learningRate: Default 1e-3.
    ///   - beta1: Default 0.9.
    ///   - beta2: Default 0.999.
    ///   - epsilon: Default 1e-8.
    ///   - weightDecay: Default 1e-2.
    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 1e-2) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// Checks the settings as PyTorch's constructor does.
    /// - Throws: `.invalidSettings` naming the value.
    public func validate() throws(TrainingError) {
        guard learningRate >= 0 else { throw TrainingError(.invalidSettings, "learning rate \(learningRate) is negative") }
        guard (0..<1).contains(beta1), (0..<1).contains(beta2) else {
            throw TrainingError(.invalidSettings, "betas (\(beta1), \(beta2)) must lie in [0, 1)")
        }
        guard epsilon >= 0, weightDecay >= 0 else {
            throw TrainingError(.invalidSettings, "epsilon \(epsilon) and weight decay \(weightDecay) must not be negative")
        }
    }

    /// Applies one step to every parameter from its `gradient`.
    /// - Parameter parameters: The parameters.
    public mutating func step(_ parameters: [Parameter]) {
        steps += 1
        let decay = Float(1 - learningRate * weightDecay)
        let weight = Float(1 - beta1), beta2 = Float(self.beta2), oneMinusBeta2 = Float(1 - self.beta2)
        let correction1 = 1 - pow(beta1, Double(steps)), correction2Root = Float((1 - pow(self.beta2, Double(steps))).squareRoot())
        let stepSize = Float(learningRate / correction1), epsilon = Float(self.epsilon)
        for parameter in parameters {
            parameter.values.withUnsafeMutableBufferPointer { p in
                parameter.firstMoment.withUnsafeMutableBufferPointer { m in
                    parameter.secondMoment.withUnsafeMutableBufferPointer { v in
                        parameter.gradient.withUnsafeBufferPointer { g in
                            for index in 0..<p.count {
                                if weightDecay != 0 { p[index] *= decay }
                                m[index] += weight * (g[index] - m[index])
                                v[index] = v[index] * beta2 + oneMinusBeta2 * g[index] * g[index]
                                let denominator = v[index].squareRoot() / correction2Root + epsilon
                                p[index] += -stepSize * (m[index] / denominator)
                            }
                        }
                    }
                }
            }
        }
    }
}
