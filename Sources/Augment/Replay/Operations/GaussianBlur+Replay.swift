import ImageCodec

extension GaussianBlur: ReplayableAugmenter {
    /// `gaussian_blur`.
    public var operationName: String { "gaussian_blur" }

    /// Draws sigma (torchvision's `uniform(low, high)`).
    /// - Parameters:
    ///   - sample: Unused.
    ///   - rng: The sample's generator.
    /// - Returns: `{value: sigma}`.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> ValueParameters {
        ValueParameters(value: rng.torchUniform(sigma))
    }

    /// Blurs with the recorded sigma and the configured kernel size.
    /// - Parameters:
    ///   - parameters: `{value: sigma}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` for a sigma that is not positive and finite, or when decoding fails.
    public func apply(_ parameters: ValueParameters, to sample: inout Sample) throws(AugmentError) {
        let s = parameters.value
        guard s > 0, s.isFinite else {
            throw AugmentError(operation: operationName, key: sample.key, source: sample.source,
                               message: "sigma \(s) is not positive")
        }
        let kernel = kernelSize
        try sample.transformPixels { $0.gaussianBlurred(kernelSize: kernel, sigma: (s, s)) }
    }
}
