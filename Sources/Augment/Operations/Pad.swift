import ImageCodec

/// Pads the image (torchvision `Pad` on PIL images: `ImageOps.expand` for constant fill, `numpy.pad` otherwise).
public struct Pad: Augmenter {
    /// Columns added on the left.
    public let left: Int
    /// Rows added at the top.
    public let top: Int
    /// Columns added on the right.
    public let right: Int
    /// Rows added at the bottom.
    public let bottom: Int
    /// How the border is filled.
    public let mode: PaddingMode
    /// The colour for `.constant`.
    public let fill: [UInt8]

    /// Creates the augmenter.
    /// - Parameters:
    ///   - left: Columns on the left (≥ 0).
    ///   - top: Rows at the top (≥ 0).
    ///   - right: Columns on the right (≥ 0).
    ///   - bottom: Rows at the bottom (≥ 0).
    ///   - mode: The padding mode (default constant).
    ///   - fill: One value or one per channel (default 0).
    /// - Precondition: the paddings are non-negative.
    public init(left: Int, top: Int, right: Int, bottom: Int, mode: PaddingMode = .constant, fill: [UInt8] = [0]) {
        precondition(left >= 0 && top >= 0 && right >= 0 && bottom >= 0, "Pad needs non-negative paddings")
        (self.left, self.top, self.right, self.bottom) = (left, top, right, bottom)
        self.mode = mode
        self.fill = fill
    }

    /// Creates the augmenter with torchvision's `padding` sequence: `[all]`, `[left/right, top/bottom]` or
    /// `[left, top, right, bottom]`.
    /// - Parameters:
    ///   - padding: 1, 2 or 4 non-negative values.
    ///   - mode: The padding mode.
    ///   - fill: The fill colour.
    /// - Returns: `nil` for another count or a negative value.
    public init?(padding: [Int], mode: PaddingMode = .constant, fill: [UInt8] = [0]) {
        guard padding.allSatisfy({ $0 >= 0 }) else { return nil }
        switch padding.count {
        case 1: self.init(left: padding[0], top: padding[0], right: padding[0], bottom: padding[0], mode: mode, fill: fill)
        case 2: self.init(left: padding[0], top: padding[1], right: padding[0], bottom: padding[1], mode: mode, fill: fill)
        case 4: self.init(left: padding[0], top: padding[1], right: padding[2], bottom: padding[3], mode: mode, fill: fill)
        default: return nil
        }
    }

    /// Pads an image.
    /// - Parameter image: The image.
    /// - Returns: The padded image.
    public func apply(_ image: Image) -> Image {
        image.padded(left: left, top: top, right: right, bottom: bottom, mode: mode, fill: fill)
    }

    /// Pads the sample's image.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: Unused.
    /// - Throws: `AugmentError` when the image cannot be decoded, is empty for a mirroring mode, or would exceed
    ///   `AugmentLimits.maxPixels` once padded.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        let size = try sample.imageSize()
        if mode != .constant && (size.width == 0 || size.height == 0) {
            throw AugmentError(operation: "pad", key: sample.key, source: sample.source,
                               message: "cannot pad an empty \(size) image with mode \(mode.rawValue)")
        }
        try AugmentLimits.checkOutput(width: AugmentLimits.saturatingSum(size.width, left, right),
                                      height: AugmentLimits.saturatingSum(size.height, top, bottom),
                                      operation: "pad", sample: sample)
        try sample.transformPixels(apply)
    }
}
