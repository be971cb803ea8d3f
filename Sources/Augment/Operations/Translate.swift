import ImageCodec

/// Translates horizontally (timm `translate_x_abs`/`translate_x_rel`: matrix `(1, 0, t, 0, 1, 0)`, so positive `t`
/// moves the content left). `t` is drawn uniformly from `offset`, negated with probability ½ when `randomSign` holds,
/// and multiplied by the image's width when `relative`.
public struct TranslateX: Augmenter {
    let draw: AffineAxisDraw
    /// Whether `offset` is a fraction of the width.
    public let relative: Bool

    /// Creates the augmenter.
    /// - Parameters:
    ///   - offset: Pixels, or a fraction of the width when `relative`.
    ///   - relative: Whether the offset scales with the width.
    ///   - randomSign: Whether to negate with probability ½.
    ///   - interpolation: The filter (default nearest).
    ///   - fill: One value or one per channel (default 0).
    public init(offset: ClosedRange<Double>, relative: Bool = false, randomSign: Bool = false,
                interpolation: AffineInterpolation = .nearest, fill: [UInt8] = [0]) {
        draw = AffineAxisDraw(magnitude: offset, randomSign: randomSign, interpolation: interpolation, fill: fill)
        self.relative = relative
    }

    /// Translates the sample's image.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: Draws the offset and the sign.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        let relative = self.relative
        try draw.apply(.translateX, to: &sample, using: &rng) { relative ? Double($0.width) : 1 }
    }
}

/// Translates vertically (timm `translate_y_abs`/`translate_y_rel`: matrix `(1, 0, 0, 0, 1, t)`).
public struct TranslateY: Augmenter {
    let draw: AffineAxisDraw
    /// Whether `offset` is a fraction of the height.
    public let relative: Bool

    /// Creates the augmenter.
    /// - Parameters:
    ///   - offset: Pixels, or a fraction of the height when `relative`.
    ///   - relative: Whether the offset scales with the height.
    ///   - randomSign: Whether to negate with probability ½.
    ///   - interpolation: The filter (default nearest).
    ///   - fill: One value or one per channel (default 0).
    public init(offset: ClosedRange<Double>, relative: Bool = false, randomSign: Bool = false,
                interpolation: AffineInterpolation = .nearest, fill: [UInt8] = [0]) {
        draw = AffineAxisDraw(magnitude: offset, randomSign: randomSign, interpolation: interpolation, fill: fill)
        self.relative = relative
    }

    /// Translates the sample's image.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: Draws the offset and the sign.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        let relative = self.relative
        try draw.apply(.translateY, to: &sample, using: &rng) { relative ? Double($0.height) : 1 }
    }
}
