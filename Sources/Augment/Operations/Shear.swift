import ImageCodec

/// Shears horizontally (timm `shear_x`: matrix `(1, m, 0, 0, 1, 0)`), with `m` drawn uniformly from `factor` and
/// negated with probability ½ when `randomSign` holds.
public struct ShearX: Augmenter {
    let draw: AffineAxisDraw

    /// Creates the augmenter.
    /// - Parameters:
    ///   - factor: The shear factor range (a single value for a fixed shear).
    ///   - randomSign: Whether to negate with probability ½ (timm's RandAugment does).
    ///   - interpolation: The filter (default nearest).
    ///   - fill: One value or one per channel (default 0).
    public init(factor: ClosedRange<Double>, randomSign: Bool = false, interpolation: AffineInterpolation = .nearest,
                fill: [UInt8] = [0]) {
        draw = AffineAxisDraw(magnitude: factor, randomSign: randomSign, interpolation: interpolation, fill: fill)
    }

    /// Shears the sample's image.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: Draws the factor (unless fixed) and the sign (when `randomSign`).
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        try draw.apply(.shearX, to: &sample, using: &rng) { _ in 1 }
    }
}

/// Shears vertically (timm `shear_y`: matrix `(1, 0, 0, m, 1, 0)`), with `m` drawn as `ShearX` draws it.
public struct ShearY: Augmenter {
    let draw: AffineAxisDraw

    /// Creates the augmenter.
    /// - Parameters:
    ///   - factor: The shear factor range.
    ///   - randomSign: Whether to negate with probability ½.
    ///   - interpolation: The filter (default nearest).
    ///   - fill: One value or one per channel (default 0).
    public init(factor: ClosedRange<Double>, randomSign: Bool = false, interpolation: AffineInterpolation = .nearest,
                fill: [UInt8] = [0]) {
        draw = AffineAxisDraw(magnitude: factor, randomSign: randomSign, interpolation: interpolation, fill: fill)
    }

    /// Shears the sample's image.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: Draws the factor and the sign.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        try draw.apply(.shearY, to: &sample, using: &rng) { _ in 1 }
    }
}
