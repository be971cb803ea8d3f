import ImageCodec

extension CenterCrop: ReplayableAugmenter {
    /// `center_crop`.
    public var operationName: String { "center_crop" }

    /// The centred crop region for the sample's size.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: Unused.
    /// - Returns: The region (negative origins mean zero padding).
    /// - Throws: `AugmentError` when the image's size cannot be read.
    public func draw(for sample: Sample, using rng: inout SampleRNG) throws(AugmentError) -> CropParameters {
        let input = try sample.imageSize()
        return CropParameters(region: Self.region(width: input.width, height: input.height, size: size), input: input)
    }

    /// Crops the recorded region, zero-padding where it extends past the image. On an image of another size than the
    /// recorded `input`, the region is carried in relative form (`PixelRegion.carried(from:to:)`).
    /// - Parameters:
    ///   - parameters: The region.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` for an empty region or when decoding fails.
    public func apply(_ parameters: CropParameters, to sample: inout Sample) throws(AugmentError) {
        guard parameters.region.width > 0, parameters.region.height > 0 else {
            throw AugmentError(operation: operationName, key: sample.key, source: sample.source,
                               message: "empty region \(parameters.region)")
        }
        let input = try sample.imageSize()
        let region = parameters.region.carried(from: parameters.input ?? input, to: input)
        if region.fits(imageWidth: input.width, imageHeight: input.height) {
            sample.image = .decoded(try sample.pixels(croppedTo: region))
            return
        }
        let image = try sample.pixels()
        var output = Image(width: region.width, height: region.height, channels: image.channels)
        for y in max(0, region.y)..<max(max(0, region.y), min(image.height, region.y + region.height)) {
            for x in max(0, region.x)..<max(max(0, region.x), min(image.width, region.x + region.width)) {
                for channel in 0..<image.channels {
                    output[x - region.x, y - region.y, channel] = image[x, y, channel]
                }
            }
        }
        sample.image = .decoded(output)
    }
}
