import ImageCodec

extension Resize: ReplayableAugmenter {
    /// `resize`.
    public var operationName: String { "resize" }

    /// The output size for the sample (drawn from nothing; depends on the input size).
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: Unused.
    /// - Returns: The output size.
    /// - Throws: `AugmentError` when the image's size cannot be read.
    public func draw(for sample: Sample, using rng: inout SampleRNG) throws(AugmentError) -> ResizeParameters {
        let input = try sample.imageSize()
        return ResizeParameters(size: outputSize(width: input.width, height: input.height))
    }

    /// Resizes the whole image to the recorded size.
    /// - Parameters:
    ///   - parameters: The output size.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` for an empty size or when decoding fails.
    public func apply(_ parameters: ResizeParameters, to sample: inout Sample) throws(AugmentError) {
        let input = try sample.imageSize()
        guard parameters.size.width > 0, parameters.size.height > 0 else {
            throw AugmentError(operation: operationName, key: sample.key, source: sample.source,
                               message: "empty output size \(parameters.size)")
        }
        try AugmentLimits.checkOutput(width: parameters.size.width, height: parameters.size.height,
                                      operation: operationName, sample: sample)
        try sample.replaceImage(withRegion: PixelRegion(x: 0, y: 0, width: input.width, height: input.height),
                                resizedTo: parameters.size, filter: interpolation)
    }
}
