import ImageCodec

extension ShearX: ReplayableAugmenter {
    /// `shear_x`.
    public var operationName: String { "shear_x" }
    /// Draws the shear factor.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The generator.
    /// - Returns: `{value}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> ValueParameters {
        ValueParameters(value: axis.draw(using: &rng))
    }
    /// Shears by the recorded factor.
    /// - Parameters:
    ///   - parameters: `{value}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: ValueParameters, to sample: inout Sample) throws(AugmentError) {
        try axis.apply(.shearX, value: parameters.value, to: &sample)
    }
}

extension ShearY: ReplayableAugmenter {
    /// `shear_y`.
    public var operationName: String { "shear_y" }
    /// Draws the shear factor.
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The generator.
    /// - Returns: `{value}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> ValueParameters {
        ValueParameters(value: axis.draw(using: &rng))
    }
    /// Shears by the recorded factor.
    /// - Parameters:
    ///   - parameters: `{value}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: ValueParameters, to sample: inout Sample) throws(AugmentError) {
        try axis.apply(.shearY, value: parameters.value, to: &sample)
    }
}

extension TranslateX: ReplayableAugmenter {
    /// `translate_x`.
    public var operationName: String { "translate_x" }
    /// Draws the offset, in pixels of this input (a relative offset times the image's width).
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The generator.
    /// - Returns: `{value: pixels, input}`.
    /// - Throws: `AugmentError` when the image's size cannot be read.
    public func draw(for sample: Sample, using rng: inout SampleRNG) throws(AugmentError) -> ValueParameters {
        let value = axis.draw(using: &rng)
        let size = try sample.imageSize()
        return ValueParameters(value: relative ? value * Double(size.width) : value, input: size)
    }
    /// Translates by the recorded offset, carried to another width as the same fraction of it.
    /// - Parameters:
    ///   - parameters: `{value, input}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: ValueParameters, to sample: inout Sample) throws(AugmentError) {
        let size = try sample.imageSize()
        let offset = carriedLength(parameters.value, from: parameters.input?.width ?? size.width, to: size.width)
        try axis.apply(.translateX, value: offset, to: &sample)
    }
}

extension TranslateY: ReplayableAugmenter {
    /// `translate_y`.
    public var operationName: String { "translate_y" }
    /// Draws the offset, in pixels of this input (a relative offset times the image's height).
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The generator.
    /// - Returns: `{value: pixels, input}`.
    /// - Throws: `AugmentError` when the image's size cannot be read.
    public func draw(for sample: Sample, using rng: inout SampleRNG) throws(AugmentError) -> ValueParameters {
        let value = axis.draw(using: &rng)
        let size = try sample.imageSize()
        return ValueParameters(value: relative ? value * Double(size.height) : value, input: size)
    }
    /// Translates by the recorded offset, carried to another height as the same fraction of it.
    /// - Parameters:
    ///   - parameters: `{value, input}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: ValueParameters, to sample: inout Sample) throws(AugmentError) {
        let size = try sample.imageSize()
        let offset = carriedLength(parameters.value, from: parameters.input?.height ?? size.height, to: size.height)
        try axis.apply(.translateY, value: offset, to: &sample)
    }
}
