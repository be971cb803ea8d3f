import ImageCodec

/// The drawn parameters of a crop: the region in input pixels (may extend past the image for zero padding).
public struct CropParameters: Codable, Sendable, Hashable {
    /// The crop rectangle in the input image's pixels.
    public var region: PixelRegion

    /// Creates the parameters.
    /// - Parameter region: The crop rectangle.
    public init(region: PixelRegion) { self.region = region }
}

/// The drawn parameters of a crop followed by a resize.
public struct ResizedCropParameters: Codable, Sendable, Hashable {
    /// The crop rectangle in the input image's pixels (inside the image).
    public var region: PixelRegion
    /// The output size.
    public var size: PixelSize

    /// Creates the parameters.
    /// - Parameters:
    ///   - region: The crop rectangle.
    ///   - size: The output size.
    public init(region: PixelRegion, size: PixelSize) {
        self.region = region
        self.size = size
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
