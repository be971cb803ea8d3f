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

    func draw(using rng: inout SampleRNG) -> LevelParameters {
        guard rng.chance(p) else { return LevelParameters(applied: false) }
        return LevelParameters(applied: true, level: rng.torchUniform(factor))
    }

    func apply(_ parameters: LevelParameters, to sample: inout Sample) throws(AugmentError) {
        guard parameters.applied, let factor = parameters.level else { return }
        try sample.transformPixels { kind.apply($0, factor: factor) }
    }
}

/// Pillow `ImageEnhance.Color` (saturation) with a factor drawn from `factor`.
public struct Color: Augmenter {
    let enhance: EnhanceDraw

    /// Creates the augmenter.
    /// - Parameters:
    ///   - factor: The factor range (0 gray, 1 unchanged).
    ///   - p: The probability (default 1).
    public init(factor: ClosedRange<Double>, p: Double = 1) { enhance = EnhanceDraw(kind: .color, factor: factor, p: p) }
}

/// Pillow `ImageEnhance.Contrast` with a factor drawn from `factor`.
public struct Contrast: Augmenter {
    let enhance: EnhanceDraw

    /// Creates the augmenter.
    /// - Parameters:
    ///   - factor: The factor range (0 mean gray, 1 unchanged).
    ///   - p: The probability (default 1).
    public init(factor: ClosedRange<Double>, p: Double = 1) { enhance = EnhanceDraw(kind: .contrast, factor: factor, p: p) }
}

/// Pillow `ImageEnhance.Brightness` with a factor drawn from `factor`.
public struct Brightness: Augmenter {
    let enhance: EnhanceDraw

    /// Creates the augmenter.
    /// - Parameters:
    ///   - factor: The factor range (0 black, 1 unchanged).
    ///   - p: The probability (default 1).
    public init(factor: ClosedRange<Double>, p: Double = 1) {
        enhance = EnhanceDraw(kind: .brightness, factor: factor, p: p)
    }
}

/// Pillow `ImageEnhance.Sharpness` with a factor drawn from `factor` (torchvision `RandomAdjustSharpness` is a
/// fixed factor with `p = 0.5`).
public struct Sharpness: Augmenter {
    let enhance: EnhanceDraw

    /// Creates the augmenter.
    /// - Parameters:
    ///   - factor: The factor range (0 smoothed, 1 unchanged, 2 sharpened).
    ///   - p: The probability (default 1).
    public init(factor: ClosedRange<Double>, p: Double = 1) {
        enhance = EnhanceDraw(kind: .sharpness, factor: factor, p: p)
    }
}
