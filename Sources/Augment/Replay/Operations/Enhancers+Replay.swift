import ImageCodec

extension Color: ReplayableAugmenter {
    /// `color`.
    public var operationName: String { "color" }
    /// Draws whether to apply and the factor.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The generator.
    /// - Returns: `{applied, level: factor}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> LevelParameters { enhance.draw(using: &rng) }
    /// Enhances by the recorded factor.
    /// - Parameters:
    ///   - parameters: `{applied, level}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: LevelParameters, to sample: inout Sample) throws(AugmentError) {
        try enhance.apply(parameters, to: &sample)
    }
}

extension Contrast: ReplayableAugmenter {
    /// `contrast`.
    public var operationName: String { "contrast" }
    /// Draws whether to apply and the factor.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The generator.
    /// - Returns: `{applied, level: factor}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> LevelParameters { enhance.draw(using: &rng) }
    /// Enhances by the recorded factor.
    /// - Parameters:
    ///   - parameters: `{applied, level}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: LevelParameters, to sample: inout Sample) throws(AugmentError) {
        try enhance.apply(parameters, to: &sample)
    }
}

extension Brightness: ReplayableAugmenter {
    /// `brightness`.
    public var operationName: String { "brightness" }
    /// Draws whether to apply and the factor.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The generator.
    /// - Returns: `{applied, level: factor}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> LevelParameters { enhance.draw(using: &rng) }
    /// Enhances by the recorded factor.
    /// - Parameters:
    ///   - parameters: `{applied, level}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: LevelParameters, to sample: inout Sample) throws(AugmentError) {
        try enhance.apply(parameters, to: &sample)
    }
}

extension Sharpness: ReplayableAugmenter {
    /// `sharpness`.
    public var operationName: String { "sharpness" }
    /// Draws whether to apply and the factor.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The generator.
    /// - Returns: `{applied, level: factor}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> LevelParameters { enhance.draw(using: &rng) }
    /// Enhances by the recorded factor.
    /// - Parameters:
    ///   - parameters: `{applied, level}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: LevelParameters, to sample: inout Sample) throws(AugmentError) {
        try enhance.apply(parameters, to: &sample)
    }
}
