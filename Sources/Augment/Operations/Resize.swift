import ImageCodec

/// Resizes the image, with torchvision `Resize` semantics (PIL path, antialiased).
///
/// - `.shorterEdge(s)`: the shorter side becomes `s` and the longer `int(s * long / short)` (truncated, as
///   torchvision's `_compute_resized_output_size` computes it); with `maxSize`, if the longer side would exceed it,
///   the longer side becomes `maxSize` and the shorter `int(maxSize * short' / long')`.
/// - `.exact(w, h)`: exactly that size.
///
/// In the fast decode mode an encoded JPEG is decoded at the coarsest DCT scale that still covers the output size.
public struct Resize: Augmenter {
    /// How the output size is chosen.
    public enum Size: Sendable, Hashable {
        /// Match the shorter edge to this length, keeping the aspect ratio.
        case shorterEdge(Int)
        /// Exactly this size.
        case exact(PixelSize)
    }

    /// The requested size.
    public let size: Size
    /// The resampling filter (torchvision's default is bilinear).
    public let interpolation: ResampleFilter
    /// With `.shorterEdge`, the longest allowed longer edge.
    public let maxSize: Int?

    /// Creates a resize to an explicit size.
    /// - Parameters:
    ///   - size: The output size (both sides ≥ 1, a size `AugmentLimits.allowsSize` accepts).
    ///   - interpolation: The filter.
    /// - Precondition: `size` is a size `AugmentLimits.allowsSize` accepts.
    public init(size: PixelSize, interpolation: ResampleFilter = .bilinear) {
        precondition(AugmentLimits.allowsSize(width: size.width, height: size.height),
                     "Resize size \(size) is outside AugmentLimits.allowsSize")
        self.size = .exact(size)
        self.interpolation = interpolation
        self.maxSize = nil
    }

    /// Creates a resize that matches the shorter edge.
    /// - Parameters:
    ///   - size: The shorter edge's new length (1…`AugmentLimits.maxShorterEdge`).
    ///   - interpolation: The filter.
    ///   - maxSize: The longest allowed longer edge (must exceed `size`), or `nil`.
    /// - Precondition: `1 ≤ size ≤ AugmentLimits.maxShorterEdge` and `maxSize > size`.
    public init(size: Int, interpolation: ResampleFilter = .bilinear, maxSize: Int? = nil) {
        precondition((1...AugmentLimits.maxShorterEdge).contains(size),
                     "Resize size \(size) must be in 1...\(AugmentLimits.maxShorterEdge)")
        precondition(maxSize.map { $0 > size } ?? true, "max_size \(maxSize ?? 0) must be greater than size \(size)")
        self.size = .shorterEdge(size)
        self.interpolation = interpolation
        self.maxSize = maxSize
    }

    /// Creates a resize that matches the shorter edge, bilinear (`Resize(256)`).
    /// - Parameter size: The shorter edge's new length (≥ 1).
    public init(_ size: Int) { self.init(size: size) }

    /// The output size for an input, as torchvision's `_compute_resized_output_size` computes it.
    /// - Parameters:
    ///   - width: Input width.
    ///   - height: Input height.
    /// - Returns: The output size.
    public func outputSize(width: Int, height: Int) -> PixelSize {
        switch size {
        case .exact(let size):
            return size
        case .shorterEdge(let requested):
            let (short, long) = width <= height ? (width, height) : (height, width)
            var newShort = requested
            var newLong = Int(Double(requested * long) / Double(short))
            if let maxSize, newLong > maxSize {
                newShort = Int(Double(maxSize * newShort) / Double(newLong))
                newLong = maxSize
            }
            return width <= height ? PixelSize(width: newShort, height: newLong)
                : PixelSize(width: newLong, height: newShort)
        }
    }

    /// Resizes the sample's image.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: Unused (the operation is deterministic).
    /// - Throws: `AugmentError` when the image cannot be decoded, or when matching the shorter edge of a very
    ///   elongated image would produce more than `AugmentLimits.maxPixels` pixels.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        let input = try sample.imageSize()
        let output = outputSize(width: input.width, height: input.height)
        try AugmentLimits.checkOutput(width: output.width, height: output.height, operation: "resize", sample: sample)
        try sample.replaceImage(withRegion: PixelRegion(x: 0, y: 0, width: input.width, height: input.height),
                                resizedTo: output, filter: interpolation)
    }
}
