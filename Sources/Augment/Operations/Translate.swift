import ImageCodec

/// Translates horizontally (timm `translate_x_abs`/`translate_x_rel`: matrix `(1, 0, t, 0, 1, 0)`, so positive `t`
/// moves the content left). `t` is drawn uniformly from `offset`, negated with probability ½ when `randomSign` holds,
/// and multiplied by the image's width when `relative`.
public struct TranslateX: Augmenter {
    let axis: AffineAxisDraw
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
        axis = AffineAxisDraw(magnitude: offset, randomSign: randomSign, interpolation: interpolation, fill: fill)
        self.relative = relative
    }
}

/// Translates vertically (timm `translate_y_abs`/`translate_y_rel`: matrix `(1, 0, 0, 0, 1, t)`).
public struct TranslateY: Augmenter {
    let axis: AffineAxisDraw
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
        axis = AffineAxisDraw(magnitude: offset, randomSign: randomSign, interpolation: interpolation, fill: fill)
        self.relative = relative
    }
}
