import ImageCodec

// Operations that draw nothing: their record is `{"op": name, "parameters": {}}` and replaying reruns them as
// configured (on any size; `crop`'s region is fixed in pixels by its spec).

extension Affine: ReplayableAugmenter {
    /// `affine`.
    public var operationName: String { "affine" }
    /// Draws nothing.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: Unused.
    /// - Returns: `{}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> NoParameters { NoParameters() }
    /// Applies the configured matrix.
    /// - Parameters:
    ///   - parameters: Unused.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: NoParameters, to sample: inout Sample) throws(AugmentError) {
        try sample.transformPixels { $0.affineTransformed(matrix, interpolation: interpolation, fill: fill) }
    }
}

extension Pad: ReplayableAugmenter {
    /// `pad`.
    public var operationName: String { "pad" }
    /// Draws nothing.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: Unused.
    /// - Returns: `{}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> NoParameters { NoParameters() }
    /// Pads as configured.
    /// - Parameters:
    ///   - parameters: Unused.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` as `augment(_:using:)` does.
    public func apply(_ parameters: NoParameters, to sample: inout Sample) throws(AugmentError) {
        var rng = SampleRNG(seed: 0, epoch: 0, position: 0)
        try augment(&sample, using: &rng)
    }
}

extension Crop: ReplayableAugmenter {
    /// `crop`.
    public var operationName: String { "crop" }
    /// Draws nothing.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: Unused.
    /// - Returns: `{}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> NoParameters { NoParameters() }
    /// Crops the configured region.
    /// - Parameters:
    ///   - parameters: Unused.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` as `augment(_:using:)` does.
    public func apply(_ parameters: NoParameters, to sample: inout Sample) throws(AugmentError) {
        var rng = SampleRNG(seed: 0, epoch: 0, position: 0)
        try augment(&sample, using: &rng)
    }
}
