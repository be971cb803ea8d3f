import ImageCodec

extension ColorJitter: ReplayableAugmenter {
    /// `color_jitter`.
    public var operationName: String { "color_jitter" }

    /// Draws the order and the factors (`parameters(using:)`, torchvision's draws).
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The sample's generator.
    /// - Returns: `{order, brightness, contrast, saturation, hue}` (an adjustment that is off has no factor).
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> ColorJitterParameters {
        let drawn = parameters(using: &rng)
        return ColorJitterParameters(order: drawn.order, brightness: drawn.brightness, contrast: drawn.contrast,
                                     saturation: drawn.saturation, hue: drawn.hue)
    }

    /// Applies the recorded factors in the recorded order.
    /// - Parameters:
    ///   - parameters: Order and factors.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when decoding fails.
    public func apply(_ parameters: ColorJitterParameters, to sample: inout Sample) throws(AugmentError) {
        try sample.transformPixels {
            Self.apply($0, order: parameters.order, brightness: parameters.brightness, contrast: parameters.contrast,
                       saturation: parameters.saturation, hue: parameters.hue)
        }
    }
}
