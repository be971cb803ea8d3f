import ImageCodec

/// Shears horizontally (timm `shear_x`: matrix `(1, m, 0, 0, 1, 0)`), with `m` drawn uniformly from `factor` and
/// negated with probability ½ when `randomSign` holds.
public struct ShearX: Augmenter {
    let axis: AffineAxisDraw

    /// Creates the augmenter.
    /// - Parameters:
    ///   - factor: The shear factor range (a single value for a fixed shear).
    ///   - randomSign: Whether to negate with probability ½ (timm's RandAugment does).
    ///   - interpolation: The filter (default nearest).
    ///   - fill: One value or one per channel (default 0).
    public init(factor: ClosedRange<Double>, randomSign: Bool = false, interpolation: AffineInterpolation = .nearest,
                fill: [UInt8] = [0]) {
        axis = AffineAxisDraw(magnitude: factor, randomSign: randomSign, interpolation: interpolation, fill: fill)
    }
}

/// Shears vertically (timm `shear_y`: matrix `(1, 0, 0, m, 1, 0)`), with `m` drawn as `ShearX` draws it.
public struct ShearY: Augmenter {
    let axis: AffineAxisDraw

    /// Creates the augmenter.
    /// - Parameters:
    ///   - factor: The shear factor range.
    ///   - randomSign: Whether to negate with probability ½.
    ///   - interpolation: The filter (default nearest).
    ///   - fill: One value or one per channel (default 0).
    public init(factor: ClosedRange<Double>, randomSign: Bool = false, interpolation: AffineInterpolation = .nearest,
                fill: [UInt8] = [0]) {
        axis = AffineAxisDraw(magnitude: factor, randomSign: randomSign, interpolation: interpolation, fill: fill)
    }
}
