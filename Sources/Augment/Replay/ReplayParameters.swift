import ImageCodec

/// The drawn parameters of a crop: the region in input pixels (may extend past the image for zero padding) and the
/// input's size, so the region also applies, in relative form, to an image of another size
/// (`PixelRegion.carried(from:to:)`).
public struct CropParameters: Codable, Sendable, Hashable {
    /// The crop rectangle in the input image's pixels.
    public var region: PixelRegion
    /// The size of the image the region was drawn on (`nil` in older records: the region is used as is).
    public var input: PixelSize?

    /// Creates the parameters.
    /// - Parameters:
    ///   - region: The crop rectangle.
    ///   - input: The size of the image it was drawn on.
    public init(region: PixelRegion, input: PixelSize? = nil) {
        self.region = region
        self.input = input
    }
}

/// The drawn parameters of a crop followed by a resize.
public struct ResizedCropParameters: Codable, Sendable, Hashable {
    /// The crop rectangle in the input image's pixels (inside the image).
    public var region: PixelRegion
    /// The output size.
    public var size: PixelSize
    /// The size of the image the region was drawn on (`nil` in older records: the region is used as is).
    public var input: PixelSize?

    /// Creates the parameters.
    /// - Parameters:
    ///   - region: The crop rectangle.
    ///   - size: The output size.
    ///   - input: The size of the image the region was drawn on.
    public init(region: PixelRegion, size: PixelSize, input: PixelSize? = nil) {
        self.region = region
        self.size = size
        self.input = input
    }
}

/// The parameters of a resize: the output size it chose for the input.
public struct ResizeParameters: Codable, Sendable, Hashable {
    /// The output size.
    public var size: PixelSize

    /// Creates the parameters.
    /// - Parameter size: The output size.
    public init(size: PixelSize) { self.size = size }
}

/// The drawn parameters of a random flip.
public struct FlipParameters: Codable, Sendable, Hashable {
    /// Whether the image was flipped.
    public var flipped: Bool

    /// Creates the parameters.
    /// - Parameter flipped: Whether to flip.
    public init(flipped: Bool) { self.flipped = flipped }
}

/// The (empty) parameters of an operation that draws nothing and reads nothing from the sample.
public struct NoParameters: Codable, Sendable, Hashable {
    /// Creates the value.
    public init() {}
}
