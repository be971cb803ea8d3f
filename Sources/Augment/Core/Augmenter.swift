/// Transforms one sample. Every random choice comes from the generator handed in, which is derived from
/// (seed, epoch, sample position), so results do not depend on threads or timing.
public protocol Augmenter: Sendable {
    /// Transforms one sample in place, drawing randomness only from `rng`.
    /// - Parameters:
    ///   - sample: The sample to transform.
    ///   - rng: The sample's generator.
    /// - Throws: `AugmentError` naming the operation and the sample.
    func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError)
}

/// Transforms a whole batch (Mixup, CutMix), after collation.
public protocol BatchAugmenter: Sendable {
    /// The batch type this augmenter works on.
    associatedtype BatchType
    /// Transforms a batch in place, drawing randomness only from `rng`.
    /// - Parameters:
    ///   - batch: The batch.
    ///   - rng: The batch's generator.
    /// - Throws: `AugmentError` naming the operation.
    func augment(_ batch: inout BatchType, using rng: inout SampleRNG) throws(AugmentError)
}

/// A sequence of augmenters applied in order: the pipeline of a training loop.
public struct Pipeline: Augmenter {
    /// The stages, in order.
    public let stages: [any Augmenter]

    /// Creates a pipeline from a list of stages.
    /// - Parameter stages: The augmenters, in order.
    public init(_ stages: [any Augmenter]) { self.stages = stages }

    /// Creates a pipeline with the result-builder syntax.
    /// - Parameter build: The stages.
    public init(@PipelineBuilder _ build: () -> [any Augmenter]) { self.stages = build() }

    /// Applies every stage in order.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Throws: The first stage's error.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        for stage in stages { try stage.augment(&sample, using: &rng) }
    }
}

/// Builds the stage list of a `Pipeline { … }`.
@resultBuilder
public enum PipelineBuilder {
    /// One stage.
    /// - Parameter stage: An augmenter.
    /// - Returns: It, as a list.
    public static func buildExpression(_ stage: any Augmenter) -> [any Augmenter] { [stage] }
    /// Joins consecutive stages.
    /// - Parameter parts: The stages so far.
    /// - Returns: Them, flattened.
    public static func buildBlock(_ parts: [any Augmenter]...) -> [any Augmenter] { parts.flatMap { $0 } }
    /// An `if` without `else`.
    /// - Parameter part: The stages, if the condition held.
    /// - Returns: Them, or nothing.
    public static func buildOptional(_ part: [any Augmenter]?) -> [any Augmenter] { part ?? [] }
    /// The first branch of an `if`/`else`.
    /// - Parameter first: The stages.
    /// - Returns: Them.
    public static func buildEither(first: [any Augmenter]) -> [any Augmenter] { first }
    /// The second branch of an `if`/`else`.
    /// - Parameter second: The stages.
    /// - Returns: Them.
    public static func buildEither(second: [any Augmenter]) -> [any Augmenter] { second }
    /// A `for` loop.
    /// - Parameter parts: The stages of each iteration.
    /// - Returns: Them, flattened.
    public static func buildArray(_ parts: [[any Augmenter]]) -> [any Augmenter] { parts.flatMap { $0 } }
}
