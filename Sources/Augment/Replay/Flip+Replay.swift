import ImageCodec

extension HorizontalFlip: ReplayableAugmenter {
    /// `hflip`.
    public var operationName: String { "hflip" }

    /// Draws whether to flip (`rng.chance(p)`, as `augment(_:using:)` does).
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The sample's generator.
    /// - Returns: The decision.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> FlipParameters {
        FlipParameters(flipped: rng.chance(p))
    }

    /// Flips when the parameters say so.
    /// - Parameters:
    ///   - parameters: The decision.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: FlipParameters, to sample: inout Sample) throws(AugmentError) {
        guard parameters.flipped else { return }
        sample.image = .decoded(try sample.pixels().flippedHorizontally())
    }
}

extension VerticalFlip: ReplayableAugmenter {
    /// `vflip`.
    public var operationName: String { "vflip" }

    /// Draws whether to flip (`rng.chance(p)`, as `augment(_:using:)` does).
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The sample's generator.
    /// - Returns: The decision.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> FlipParameters {
        FlipParameters(flipped: rng.chance(p))
    }

    /// Flips when the parameters say so.
    /// - Parameters:
    ///   - parameters: The decision.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: FlipParameters, to sample: inout Sample) throws(AugmentError) {
        guard parameters.flipped else { return }
        sample.image = .decoded(try sample.pixels().flippedVertically())
    }
}
