import ImageCodec

/// The four Pillow `ImageEnhance` classes.
public enum EnhanceKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// `ImageEnhance.Color` (saturation).
    case color
    /// `ImageEnhance.Contrast`.
    case contrast
    /// `ImageEnhance.Brightness`.
    case brightness
    /// `ImageEnhance.Sharpness`.
    case sharpness

    /// Applies the enhancer.
    /// - Parameters:
    ///   - image: The image.
    ///   - factor: The enhancement factor (1 leaves the image unchanged).
    /// - Returns: The enhanced image.
    public func apply(_ image: Image, factor: Double) -> Image {
        switch self {
        case .color: return image.colorEnhanced(factor)
        case .contrast: return image.contrastEnhanced(factor)
        case .brightness: return image.brightnessEnhanced(factor)
        case .sharpness: return image.sharpnessEnhanced(factor)
        }
    }
}

/// One Pillow enhancer with a factor drawn uniformly from `factor` (a single value for a fixed factor), applied with
/// probability `p` (torchvision `RandomAdjustSharpness` and the enhance ops of RandAugment/timm).
struct EnhanceDraw: Sendable {
    let kind: EnhanceKind
    let factor: ClosedRange<Double>
    let p: Double

    func apply(to sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        guard rng.chance(p) else { return }
        let value = rng.torchUniform(factor)
        try sample.transformPixels { kind.apply($0, factor: value) }
    }
}

/// Pillow `ImageEnhance.Color` (saturation) with a factor drawn from `factor`.
public struct Color: Augmenter {
    let draw: EnhanceDraw

    /// Creates the augmenter.
    /// - Parameters:
    ///   - factor: The factor range (0 gray, 1 unchanged).
    ///   - p: The probability (default 1).
    public init(factor: ClosedRange<Double>, p: Double = 1) { draw = EnhanceDraw(kind: .color, factor: factor, p: p) }

    /// Applies the enhancer with probability `p`.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: Draws the coin, then the factor (unless fixed).
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        try draw.apply(to: &sample, using: &rng)
    }
}

/// Pillow `ImageEnhance.Contrast` with a factor drawn from `factor`.
public struct Contrast: Augmenter {
    let draw: EnhanceDraw

    /// Creates the augmenter.
    /// - Parameters:
    ///   - factor: The factor range (0 mean gray, 1 unchanged).
    ///   - p: The probability (default 1).
    public init(factor: ClosedRange<Double>, p: Double = 1) { draw = EnhanceDraw(kind: .contrast, factor: factor, p: p) }

    /// Applies the enhancer with probability `p`.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: Draws the coin, then the factor.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        try draw.apply(to: &sample, using: &rng)
    }
}

/// Pillow `ImageEnhance.Brightness` with a factor drawn from `factor`.
public struct Brightness: Augmenter {
    let draw: EnhanceDraw

    /// Creates the augmenter.
    /// - Parameters:
    ///   - factor: The factor range (0 black, 1 unchanged).
    ///   - p: The probability (default 1).
    public init(factor: ClosedRange<Double>, p: Double = 1) {
        draw = EnhanceDraw(kind: .brightness, factor: factor, p: p)
    }

    /// Applies the enhancer with probability `p`.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: Draws the coin, then the factor.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        try draw.apply(to: &sample, using: &rng)
    }
}

/// Pillow `ImageEnhance.Sharpness` with a factor drawn from `factor` (torchvision `RandomAdjustSharpness` is a
/// fixed factor with `p = 0.5`).
public struct Sharpness: Augmenter {
    let draw: EnhanceDraw

    /// Creates the augmenter.
    /// - Parameters:
    ///   - factor: The factor range (0 smoothed, 1 unchanged, 2 sharpened).
    ///   - p: The probability (default 1).
    public init(factor: ClosedRange<Double>, p: Double = 1) {
        draw = EnhanceDraw(kind: .sharpness, factor: factor, p: p)
    }

    /// Applies the enhancer with probability `p`.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: Draws the coin, then the factor.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        try draw.apply(to: &sample, using: &rng)
    }
}
