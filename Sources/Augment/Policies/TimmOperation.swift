import ImageCodec

/// The operations of timm's `auto_augment.py` (RandAugment, AutoAugment, AugMix), by timm's names, with timm's
/// magnitude → argument mappings. The level is `magnitude / 10`.
public enum TimmOperation: String, Sendable, Hashable, Codable, CaseIterable {
    /// `ImageOps.autocontrast`.
    case autoContrast = "AutoContrast"
    /// `ImageOps.equalize`.
    case equalize = "Equalize"
    /// `ImageOps.invert`.
    case invert = "Invert"
    /// `rotate(±30·level°)`.
    case rotate = "Rotate"
    /// Keeps `int(4·level)` bits.
    case posterize = "Posterize"
    /// Keeps `4 − int(4·level)` bits.
    case posterizeIncreasing = "PosterizeIncreasing"
    /// Keeps `int(4·level) + 4` bits.
    case posterizeOriginal = "PosterizeOriginal"
    /// Threshold `min(256, int(256·level))`.
    case solarize = "Solarize"
    /// Threshold `256 − min(256, int(256·level))`.
    case solarizeIncreasing = "SolarizeIncreasing"
    /// Adds `min(128, int(110·level))` below 128.
    case solarizeAdd = "SolarizeAdd"
    /// Colour factor `0.1 + 1.8·level`.
    case color = "Color"
    /// Colour factor `max(0.1, 1 ± 0.9·level)`.
    case colorIncreasing = "ColorIncreasing"
    /// Contrast factor `0.1 + 1.8·level`.
    case contrast = "Contrast"
    /// Contrast factor `max(0.1, 1 ± 0.9·level)`.
    case contrastIncreasing = "ContrastIncreasing"
    /// Brightness factor `0.1 + 1.8·level`.
    case brightness = "Brightness"
    /// Brightness factor `max(0.1, 1 ± 0.9·level)`.
    case brightnessIncreasing = "BrightnessIncreasing"
    /// Sharpness factor `0.1 + 1.8·level`.
    case sharpness = "Sharpness"
    /// Sharpness factor `max(0.1, 1 ± 0.9·level)`.
    case sharpnessIncreasing = "SharpnessIncreasing"
    /// Shear factor `±0.3·level`, matrix `(1, f, 0, 0, 1, 0)`.
    case shearX = "ShearX"
    /// Shear factor `±0.3·level`, matrix `(1, 0, 0, f, 1, 0)`.
    case shearY = "ShearY"
    /// `±level·translate_const` pixels.
    case translateX = "TranslateX"
    /// `±level·translate_const` pixels.
    case translateY = "TranslateY"
    /// `±level·translate_pct` of the width.
    case translateXRel = "TranslateXRel"
    /// `±level·translate_pct` of the height.
    case translateYRel = "TranslateYRel"
    /// Argument `0.5 + 0.5·level` clamped to 0.5…1; colour factor `1 − argument` (3-Augment's desaturation).
    case desaturate = "Desaturate"
    /// Pillow `GaussianBlur(radius)` with radius `0.1 + 1.9·level` clamped to 0.1…2 (3-Augment).
    case gaussianBlur = "GaussianBlur"
    /// Pillow `GaussianBlur(radius)` with radius `uniform(0.1, 2·level)`, `level` clamped to 0…1 (AutoAugment `3a`):
    /// `argument(…)` is the clamped level and a draw's argument the radius drawn from it (after the magnitude, as
    /// timm draws it); `apply` takes the radius.
    case gaussianBlurRand = "GaussianBlurRand"

    /// timm's default RandAugment list (`_RAND_TRANSFORMS`, 15 operations).
    public static let randAugment: [TimmOperation] = [
        .autoContrast, .equalize, .invert, .rotate, .posterize, .solarize, .solarizeAdd, .color, .contrast,
        .brightness, .sharpness, .shearX, .shearY, .translateXRel, .translateYRel,
    ]

    /// timm's RandAugment list with `inc1` (`_RAND_INCREASING_TRANSFORMS`).
    public static let randAugmentIncreasing: [TimmOperation] = [
        .autoContrast, .equalize, .invert, .rotate, .posterizeIncreasing, .solarizeIncreasing, .solarizeAdd,
        .colorIncreasing, .contrastIncreasing, .brightnessIncreasing, .sharpnessIncreasing, .shearX, .shearY,
        .translateXRel, .translateYRel,
    ]

    /// timm's AugMix list (`_AUGMIX_TRANSFORMS`, 13 operations).
    public static let augMix: [TimmOperation] = [
        .autoContrast, .colorIncreasing, .contrastIncreasing, .brightnessIncreasing, .sharpnessIncreasing, .equalize,
        .rotate, .posterizeIncreasing, .solarizeIncreasing, .shearX, .shearY, .translateXRel, .translateYRel,
    ]

    /// timm's 3-Augment RandAugment list (`_RAND_3A`, `t3a`).
    public static let randAugment3a: [TimmOperation] = [.solarizeIncreasing, .desaturate, .gaussianBlur]

    /// timm's weighted RandAugment choice (`_RAND_WEIGHTED_0`, `tweights`): operations and relative weights.
    public static let randAugmentWeighted: [(operation: TimmOperation, weight: Double)] = [
        (.rotate, 3), (.shearX, 2), (.shearY, 2), (.translateXRel, 1), (.translateYRel, 1), (.colorIncreasing, 0.25),
        (.sharpnessIncreasing, 0.25), (.autoContrast, 0.25), (.solarizeIncreasing, 0.05), (.solarizeAdd, 0.05),
        (.contrastIncreasing, 0.05), (.brightnessIncreasing, 0.05), (.equalize, 0.05), (.posterizeIncreasing, 0.05),
        (.invert, 0.05),
    ]

    /// timm's weighted 3-Augment choice (`_RAND_WEIGHTED_3A`, `t3aw`): operations and relative weights.
    public static let randAugment3aWeighted: [(operation: TimmOperation, weight: Double)] = [
        (.solarizeIncreasing, 6), (.desaturate, 6), (.gaussianBlur, 6), (.rotate, 3), (.shearX, 2), (.shearY, 2),
        (.posterizeIncreasing, 1), (.autoContrast, 1), (.colorIncreasing, 1), (.sharpnessIncreasing, 1),
        (.contrastIncreasing, 1), (.brightnessIncreasing, 1), (.equalize, 1), (.invert, 1),
    ]

    /// Whether the operation takes an argument derived from the magnitude (timm's `level_fn` is not `None`).
    public var takesArgument: Bool { ![.autoContrast, .equalize, .invert].contains(self) }

    /// Whether the mapping flips the sign with probability ½ (timm's `_randomly_negate`).
    public var isSigned: Bool {
        switch self {
        case .rotate, .shearX, .shearY, .translateX, .translateY, .translateXRel, .translateYRel,
             .colorIncreasing, .contrastIncreasing, .brightnessIncreasing, .sharpnessIncreasing: true
        default: false
        }
    }

    /// Whether the operation resamples (and so draws or takes an interpolation and uses the fill).
    public var isGeometric: Bool {
        switch self {
        case .rotate, .shearX, .shearY, .translateX, .translateY, .translateXRel, .translateYRel: true
        default: false
        }
    }

    /// timm's `level_fn`: the operation's argument for a clipped magnitude.
    /// - Parameters:
    ///   - magnitude: The magnitude after noise and clipping.
    ///   - negate: The sign coin (used by signed operations only).
    ///   - hyperParameters: `translate_const` and `translate_pct`.
    /// - Returns: The argument (0 for operations without one).
    public func argument(magnitude: Double, negate: Bool, hyperParameters: TimmHyperParameters) -> Double {
        let level = magnitude / 10
        func signed(_ value: Double) -> Double { negate ? -value : value }
        switch self {
        case .autoContrast, .equalize, .invert: return 0
        case .rotate: return signed(level * 30)
        case .posterize: return Double(Int(level * 4))
        case .posterizeIncreasing: return Double(4 - Int(level * 4))
        case .posterizeOriginal: return Double(Int(level * 4) + 4)
        case .solarize: return Double(min(256, Int(level * 256)))
        case .solarizeIncreasing: return Double(256 - min(256, Int(level * 256)))
        case .solarizeAdd: return Double(min(128, Int(level * 110)))
        case .color, .contrast, .brightness, .sharpness: return level * 1.8 + 0.1
        case .colorIncreasing, .contrastIncreasing, .brightnessIncreasing, .sharpnessIncreasing:
            return max(0.1, 1.0 + signed(level * 0.9))
        case .shearX, .shearY: return signed(level * 0.3)
        case .translateX, .translateY: return signed(level * hyperParameters.translateConst)
        case .translateXRel, .translateYRel: return signed(level * hyperParameters.translatePct)
        // timm's `_minmax_level_to_arg`: `min + (max − min)·level`, clamped to `min…max`.
        case .desaturate: return max(0.5, min(1.0, 0.5 + (1.0 - 0.5) * level))
        case .gaussianBlur: return max(0.1, min(2.0, 0.1 + (2.0 - 0.1) * level))
        case .gaussianBlurRand: return max(0, min(1.0, level))
        }
    }

    /// timm's operation function (`NAME_TO_OP`) with a given argument, through the Pillow-exact image functions.
    /// - Parameters:
    ///   - image: The input.
    ///   - argument: The operation's argument (`argument(magnitude:negate:hyperParameters:)`).
    ///   - interpolation: The filter of geometric operations.
    ///   - fill: The fill colour of geometric operations.
    /// - Returns: The transformed image.
    public func apply(to image: Image, argument: Double, interpolation: AffineInterpolation, fill: [UInt8]) -> Image {
        switch self {
        case .autoContrast: return image.autocontrasted()
        case .equalize: return image.equalized()
        case .invert: return image.inverted()
        case .rotate: return image.rotated(degrees: argument, interpolation: interpolation, fill: fill)
        case .posterize, .posterizeIncreasing, .posterizeOriginal:
            let bits = Int(argument)
            return bits >= 8 ? image : image.posterized(bits: bits)
        case .solarize, .solarizeIncreasing: return image.solarized(threshold: Int(argument))
        case .solarizeAdd:
            // timm only adds to L and RGB images.
            return image.channels == 1 || image.channels == 3 ? image.solarizedAdding(Int(argument), threshold: 128) : image
        case .color, .colorIncreasing: return image.colorEnhanced(argument)
        case .contrast, .contrastIncreasing: return image.contrastEnhanced(argument)
        case .brightness, .brightnessIncreasing: return image.brightnessEnhanced(argument)
        case .sharpness, .sharpnessIncreasing: return image.sharpnessEnhanced(argument)
        case .shearX: return image.affineTransformed(.shearX(argument), interpolation: interpolation, fill: fill)
        case .shearY: return image.affineTransformed(.shearY(argument), interpolation: interpolation, fill: fill)
        case .translateX: return image.affineTransformed(.translateX(argument), interpolation: interpolation, fill: fill)
        case .translateY: return image.affineTransformed(.translateY(argument), interpolation: interpolation, fill: fill)
        case .translateXRel:
            return image.affineTransformed(.translateX(argument * Double(image.width)), interpolation: interpolation, fill: fill)
        case .translateYRel:
            return image.affineTransformed(.translateY(argument * Double(image.height)), interpolation: interpolation,
                                           fill: fill)
        case .desaturate: return image.colorEnhanced(min(1, max(0, 1 - argument)))
        case .gaussianBlur, .gaussianBlurRand: return image.pillowGaussianBlurred(radius: argument)
        }
    }
}
