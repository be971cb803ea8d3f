import ImageCodec

/// Crops a fixed rectangle (torchvision `F.crop` on PIL images, Pillow `crop`): areas outside the image are 0.
public struct Crop: Augmenter {
    /// The rectangle (its origin may be negative and it may extend past the image).
    public let region: PixelRegion

    /// Creates the augmenter.
    /// - Parameter region: The rectangle (size `AugmentLimits.allowsSize` accepts, origin within
    ///   ±`AugmentLimits.maxCoordinate`).
    /// - Precondition: `region` has a size `AugmentLimits.allowsSize` accepts and its origin lies within
    ///   ±`AugmentLimits.maxCoordinate`.
    public init(region: PixelRegion) {
        precondition(AugmentLimits.allowsSize(width: region.width, height: region.height),
                     "Crop region \(region) has a size outside AugmentLimits.allowsSize")
        let coordinates = -AugmentLimits.maxCoordinate...AugmentLimits.maxCoordinate
        precondition(coordinates.contains(region.x) && coordinates.contains(region.y),
                     "Crop region \(region) must start within ±\(AugmentLimits.maxCoordinate)")
        self.region = region
    }

    /// Crops the sample's image.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: Unused.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        let size = try sample.imageSize()
        if region.fits(imageWidth: size.width, imageHeight: size.height) {
            sample.image = .decoded(try sample.pixels(croppedTo: region))
            return
        }
        try sample.transformPixels { $0.cropped(left: region.x, top: region.y, width: region.width, height: region.height) }
    }
}

/// Crops a random window of `size` (torchvision `RandomCrop` on PIL images): optional padding first, then
/// `pad_if_needed` padding of `size − W` on both sides of a short axis, then `i = randint(0, H − h)`,
/// `j = randint(0, W − w)` (no draw on an axis that already has the crop's size).
public struct RandomCrop: Augmenter {
    /// The crop's size.
    public let size: PixelSize
    /// Padding applied first, if any.
    public let padding: Pad?
    /// Whether an image smaller than `size` is padded up to it.
    public let padIfNeeded: Bool
    /// The padding mode of `padIfNeeded`.
    public let paddingMode: PaddingMode
    /// The fill colour of `padIfNeeded`.
    public let fill: [UInt8]

    /// Creates the augmenter.
    /// - Parameters:
    ///   - size: The crop's size (positive, a size `AugmentLimits.allowsSize` accepts).
    ///   - padding: Padding applied before cropping, or `nil`.
    ///   - padIfNeeded: Pad images smaller than `size` (default false: they are an error).
    ///   - paddingMode: The mode of `padIfNeeded`.
    ///   - fill: The fill of `padIfNeeded`.
    /// - Precondition: `size` is a size `AugmentLimits.allowsSize` accepts.
    public init(size: PixelSize, padding: Pad? = nil, padIfNeeded: Bool = false, paddingMode: PaddingMode = .constant,
                fill: [UInt8] = [0]) {
        precondition(AugmentLimits.allowsSize(width: size.width, height: size.height),
                     "RandomCrop size \(size) is outside AugmentLimits.allowsSize")
        self.size = size
        self.padding = padding
        self.padIfNeeded = padIfNeeded
        self.paddingMode = paddingMode
        self.fill = fill
    }

    /// The crop's origin, drawn as torchvision's `RandomCrop.get_params`: rows first, then columns.
    /// - Parameters:
    ///   - width: The (padded) image's width (≥ `size.width`).
    ///   - height: The (padded) image's height (≥ `size.height`).
    ///   - rng: The generator.
    /// - Returns: The crop rectangle.
    public func region(width: Int, height: Int, using rng: inout SampleRNG) -> PixelRegion {
        if width == size.width && height == size.height { return PixelRegion(x: 0, y: 0, width: width, height: height) }
        let i = rng.int(in: 0...(height - size.height))
        let j = rng.int(in: 0...(width - size.width))
        return PixelRegion(x: j, y: i, width: size.width, height: size.height)
    }

    /// Pads the sample's image as configured (`padding`, then `pad_if_needed`'s shortfall on both sides, as
    /// torchvision does) and checks that the crop fits.
    /// - Parameter sample: The sample.
    /// - Returns: The padded pixels.
    /// - Throws: `AugmentError` when a padded image would exceed the size limits or the crop is larger than it.
    func paddedImage(_ sample: inout Sample) throws(AugmentError) -> Image {
        var image = try sample.pixels()
        if let padding {
            try AugmentLimits.checkOutput(width: AugmentLimits.saturatingSum(image.width, padding.left, padding.right),
                                          height: AugmentLimits.saturatingSum(image.height, padding.top, padding.bottom),
                                          operation: "random_crop", sample: sample)
            image = padding.apply(image)
        }
        let padded = paddedSize(PixelSize(width: image.width, height: image.height))
        try AugmentLimits.checkOutput(width: padded.width, height: padded.height, operation: "random_crop", sample: sample)
        if padIfNeeded && image.width < size.width {
            let extra = size.width - image.width
            image = image.padded(left: extra, top: 0, right: extra, bottom: 0, mode: paddingMode, fill: fill)
        }
        if padIfNeeded && image.height < size.height {
            let extra = size.height - image.height
            image = image.padded(left: 0, top: extra, right: 0, bottom: extra, mode: paddingMode, fill: fill)
        }
        try requireFits(PixelSize(width: image.width, height: image.height), sample: sample)
        return image
    }

    /// The size after `pad_if_needed` (not after `padding`).
    /// - Parameter input: The size after `padding`.
    /// - Returns: The padded size.
    func paddedSize(_ input: PixelSize) -> PixelSize {
        PixelSize(width: padIfNeeded && input.width < size.width ? 2 * size.width - input.width : input.width,
                  height: padIfNeeded && input.height < size.height ? 2 * size.height - input.height : input.height)
    }

    /// Checks that the crop fits the padded image.
    /// - Parameters:
    ///   - padded: The padded size.
    ///   - sample: The sample, for the error.
    /// - Throws: `AugmentError` when the crop is larger.
    func requireFits(_ padded: PixelSize, sample: Sample) throws(AugmentError) {
        guard padded.width >= size.width && padded.height >= size.height else {
            throw AugmentError(operation: "random_crop", key: sample.key, source: sample.source,
                               message: "crop \(size) is larger than the \(padded.width)x\(padded.height) image")
        }
    }
}
