import ImageCodec

/// One operation of a timm policy with its probability and magnitude (timm's `AugmentOp`).
public struct TimmAugmentOp: Sendable, Hashable {
    /// The operation.
    public let operation: TimmOperation
    /// The probability of applying it.
    public let probability: Double
    /// The magnitude (0…10 on timm's scale).
    public let magnitude: Double
    /// Noise, clipping, fill, interpolation and translation constants.
    public let hyperParameters: TimmHyperParameters

    /// Creates the operation.
    /// - Parameters:
    ///   - operation: The operation.
    ///   - probability: The probability of applying it.
    ///   - magnitude: The magnitude.
    ///   - hyperParameters: The hyper-parameters.
    public init(_ operation: TimmOperation, probability: Double, magnitude: Double, hyperParameters: TimmHyperParameters) {
        self.operation = operation
        self.probability = probability
        self.magnitude = magnitude
        self.hyperParameters = hyperParameters
    }

    /// Draws as timm's `AugmentOp.__call__` does: the skip coin (only when `probability < 1`; skipped when
    /// `U > p`), the magnitude noise, the clip to `0…mmax`, the sign coin of signed operations and the filter of
    /// geometric operations (random bilinear/bicubic unless fixed), and `GaussianBlurRand`'s radius.
    /// - Parameter rng: The sample's generator.
    /// - Returns: What was drawn (`applied` false when skipped).
    public func draw(using rng: inout SampleRNG) -> TimmOpDraw {
        if probability < 1 && rng.uniform() > probability {
            return TimmOpDraw(operation: operation, applied: false, magnitude: 0, argument: 0, interpolation: nil)
        }
        var value = magnitude
        let deviation = hyperParameters.magnitudeStd
        if deviation == .infinity {
            value = rng.uniform(0, magnitude)
        } else if deviation > 0 {
            value = rng.normal(mean: magnitude, deviation: deviation)
        }
        let bound = hyperParameters.magnitudeMax.flatMap { $0 == 0 ? nil : $0 } ?? 10
        value = max(0, min(value, bound))
        let negate = operation.isSigned ? rng.uniform() > 0.5 : false
        var argument = operation.argument(magnitude: value, negate: negate, hyperParameters: hyperParameters)
        // timm's gaussian_blur_rand draws its radius inside the operation, after everything above.
        if operation == .gaussianBlurRand { argument = rng.uniform(0.1, 2.0 * argument) }
        var interpolation: AffineInterpolation?
        if operation.isGeometric {
            interpolation = hyperParameters.interpolation ?? (rng.int(in: 0...1) == 0 ? .bilinear : .bicubic)
        }
        return TimmOpDraw(operation: operation, applied: true, magnitude: value, argument: argument,
                          interpolation: interpolation)
    }
}
