/// Leaves the sample unchanged and draws nothing (a placeholder branch in `OneOf`, or an empty pipeline stage).
public struct Identity: ReplayableAugmenter {
    /// Creates the augmenter.
    public init() {}

    /// `identity`.
    public var operationName: String { "identity" }

    /// Draws nothing.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: Unused.
    /// - Returns: No parameters.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> NoParameters { NoParameters() }

    /// Does nothing.
    /// - Parameters:
    ///   - parameters: Unused.
    ///   - sample: Unused.
    public func apply(_ parameters: NoParameters, to sample: inout Sample) {}
}
