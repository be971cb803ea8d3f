import ImageCodec

/// Crops the centre of the image, with torchvision `CenterCrop` semantics: the crop's top-left corner is
/// `(int(round((W − w) / 2.0)), int(round((H − h) / 2.0)))` with Python's half-to-even rounding; when the crop is
/// larger than the image on a side, the image is first padded with zeros on that side by `(w − W) // 2` before and
/// `(w − W + 1) // 2` after.
///
/// In the fast decode mode an encoded image that contains the crop decodes only the crop's rows and columns, with the
/// fast mode's plain chroma upsampling (pixels within a few levels of the exact mode's).
public struct CenterCrop: Augmenter {
    /// The crop's size.
    public let size: PixelSize

    /// Creates a centre crop.
    /// - Parameter size: The crop's size (both sides ≥ 1, a size `AugmentLimits.allowsSize` accepts: a crop larger
    ///   than the image is zero-padded to this size).
    /// - Precondition: `size` is a size `AugmentLimits.allowsSize` accepts.
    public init(size: PixelSize) {
        precondition(AugmentLimits.allowsSize(width: size.width, height: size.height),
                     "CenterCrop size \(size) is outside AugmentLimits.allowsSize")
        self.size = size
    }

    /// Creates a square centre crop.
    /// - Parameter size: The side length (≥ 1).
    public init(size: Int) { self.init(size: PixelSize(width: size, height: size)) }

    /// Creates a square centre crop (`CenterCrop(224)`).
    /// - Parameter size: The side length (≥ 1).
    public init(_ size: Int) { self.init(size: size) }

    /// The crop rectangle for an image, in image coordinates (may extend past the image when it is larger).
    /// - Parameters:
    ///   - width: The image's width.
    ///   - height: The image's height.
    ///   - size: The crop's size.
    /// - Returns: The rectangle; negative origins mean zero padding before the image.
    public static func region(width: Int, height: Int, size: PixelSize) -> PixelRegion {
        func origin(_ extent: Int, _ crop: Int) -> Int {
            if crop > extent { return -((crop - extent) / 2) }
            return Int((Double(extent - crop) / 2.0).rounded(.toNearestOrEven))
        }
        return PixelRegion(x: origin(width, size.width), y: origin(height, size.height),
                           width: size.width, height: size.height)
    }

    /// Crops (and zero-pads) an image exactly as torchvision's `F.center_crop` does on a PIL image.
    /// - Parameters:
    ///   - image: The image.
    ///   - size: The crop's size.
    /// - Returns: The cropped image.
    public static func apply(_ image: Image, size: PixelSize) -> Image {
        let region = region(width: image.width, height: image.height, size: size)
        if region.fits(imageWidth: image.width, imageHeight: image.height) { return image.cropped(to: region) }
        let channels = image.channels
        var output = Image(width: size.width, height: size.height, channels: channels)
        let left = max(0, region.x), right = min(image.width, region.x + size.width)
        let top = max(0, region.y), bottom = min(image.height, region.y + size.height)
        guard right > left, bottom > top else { return output }
        let count = (right - left) * channels
        image.pixels.withUnsafeBufferPointer { source in
            output.pixels.withUnsafeMutableBufferPointer { target in
                guard let input = source.baseAddress, let out = target.baseAddress else { return }
                for y in top..<bottom {
                    let from = input + (y * image.width + left) * channels
                    let to = out + ((y - region.y) * size.width + (left - region.x)) * channels
                    to.update(from: from, count: count)
                }
            }
        }
        return output
    }

    /// Crops the sample's image.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: Unused (the operation is deterministic).
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        let input = try sample.imageSize()
        let region = Self.region(width: input.width, height: input.height, size: size)
        if region.fits(imageWidth: input.width, imageHeight: input.height) {
            sample.image = .decoded(try sample.pixels(croppedTo: region))
        } else {
            sample.image = .decoded(Self.apply(try sample.pixels(), size: size))
        }
    }
}
