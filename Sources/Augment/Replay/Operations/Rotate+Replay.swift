import ImageCodec

extension Rotate: ReplayableAugmenter {
    /// `rotate`.
    public var operationName: String { "rotate" }

    /// Draws the angle (torchvision's `uniform(low, high)`).
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The sample's generator.
    /// - Returns: `{value: degrees}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> ValueParameters {
        ValueParameters(value: rng.torchUniform(degrees))
    }

    /// Rotates by the recorded angle (the configured centre, fill and `expand`).
    /// - Parameters:
    ///   - parameters: `{value: degrees}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when an expanded output would exceed the size limits or decoding fails.
    public func apply(_ parameters: ValueParameters, to sample: inout Sample) throws(AugmentError) {
        let angle = parameters.value
        if expand {
            let size = try sample.imageSize()
            let expanded = Image.expandedRotationSize(degrees: angle, width: size.width, height: size.height, center: center)
            try AugmentLimits.checkOutput(width: expanded.width, height: expanded.height, operation: "rotate", sample: sample)
        }
        try sample.transformPixels {
            $0.rotated(degrees: angle, interpolation: interpolation, center: center, fill: fill, expand: expand)
        }
    }
}
