import ImageCodec

extension RandomCrop: ReplayableAugmenter {
    /// `random_crop`.
    public var operationName: String { "random_crop" }

    /// Draws the window (torchvision's `randint` for top, then left) in the padded image's pixels.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Returns: `{region, input}`, `input` being the padded image's size.
    /// - Throws: `AugmentError` when the image's size cannot be read or the crop does not fit.
    public func draw(for sample: Sample, using rng: inout SampleRNG) throws(AugmentError) -> CropParameters {
        let size = try sample.imageSize()
        let padded = paddedSize(PixelSize(width: AugmentLimits.saturatingSum(size.width, padding?.left ?? 0, padding?.right ?? 0),
                                          height: AugmentLimits.saturatingSum(size.height, padding?.top ?? 0,
                                                                              padding?.bottom ?? 0)))
        try requireFits(padded, sample: sample)
        return CropParameters(region: region(width: padded.width, height: padded.height, using: &rng), input: padded)
    }

    /// Pads as configured and crops the recorded window. On an image whose padded size differs, the window is
    /// carried in relative form (`PixelRegion.carried(from:to:)`) and moved inside the padded image.
    /// - Parameters:
    ///   - parameters: `{region, input}`.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when padding exceeds the limits, the crop does not fit, or decoding fails.
    public func apply(_ parameters: CropParameters, to sample: inout Sample) throws(AugmentError) {
        let image = try paddedImage(&sample)
        let padded = PixelSize(width: image.width, height: image.height)
        let window = parameters.region.carried(from: parameters.input ?? padded, to: padded).clamped(inside: padded)
        sample.image = .decoded(window == PixelRegion(x: 0, y: 0, width: image.width, height: image.height)
            ? image : image.cropped(to: window))
    }
}
