import ImageCodec

extension Sample {
    /// Checks that a region to resize from lies inside the image.
    /// - Parameters:
    ///   - region: The region.
    ///   - operation: The operation's name, for the error.
    /// - Throws: `AugmentError` when the region is empty or outside the image.
    func requireInside(_ region: PixelRegion, operation: String) throws(AugmentError) {
        let size = try imageSize()
        guard region.width > 0, region.height > 0, region.fits(imageWidth: size.width, imageHeight: size.height) else {
            throw AugmentError(operation: operation, key: key, source: source,
                               message: "region \(region) is outside the \(size.width)x\(size.height) image")
        }
    }
}

extension RandomResizedCrop: ReplayableAugmenter {
    /// `random_resized_crop`.
    public var operationName: String { "random_resized_crop" }

    /// Draws the crop region exactly as `augment(_:using:)` does.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Returns: The region and the output size.
    /// - Throws: `AugmentError` when the image's size cannot be read or is empty.
    public func draw(for sample: Sample, using rng: inout SampleRNG) throws(AugmentError) -> ResizedCropParameters {
        let input = try sample.imageSize()
        guard input.width > 0 && input.height > 0 else {
            throw AugmentError(operation: operationName, key: sample.key, source: sample.source, message: "empty \(input) image")
        }
        let region = Self.parameters(width: input.width, height: input.height, scale: scale, ratio: ratio, using: &rng)
        return ResizedCropParameters(region: region, size: size, input: input)
    }

    /// Crops the recorded region and resizes it to the recorded size. On an image of another size than the recorded
    /// `input`, the region is carried in relative form (`PixelRegion.carried(from:to:)`) and moved inside the image.
    /// - Parameters:
    ///   - parameters: Region and size.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when the region is outside the image or decoding fails.
    public func apply(_ parameters: ResizedCropParameters, to sample: inout Sample) throws(AugmentError) {
        let input = try sample.imageSize()
        var region = parameters.region
        if let recorded = parameters.input, recorded != input {
            region = region.carried(from: recorded, to: input).clamped(inside: input)
        }
        try sample.requireInside(region, operation: operationName)
        try sample.replaceImage(withRegion: region, resizedTo: parameters.size, filter: interpolation)
    }
}
