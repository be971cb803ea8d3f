import Foundation
import ImageCodec

/// The operations of torchvision's `autoaugment.py` (`_apply_op`) on PIL images, by torchvision's names.
public enum TorchvisionOperation: String, Sendable, Hashable, Codable, CaseIterable {
    /// Unchanged.
    case identity = "Identity"
    /// `F.affine(shear=[deg(atan m), 0], center=[0, 0])`.
    case shearX = "ShearX"
    /// `F.affine(shear=[0, deg(atan m)], center=[0, 0])`.
    case shearY = "ShearY"
    /// `F.affine(translate=[int(m), 0])`.
    case translateX = "TranslateX"
    /// `F.affine(translate=[0, int(m)])`.
    case translateY = "TranslateY"
    /// `F.rotate(m)`.
    case rotate = "Rotate"
    /// `adjust_brightness(1 + m)`.
    case brightness = "Brightness"
    /// `adjust_saturation(1 + m)`.
    case color = "Color"
    /// `adjust_contrast(1 + m)`.
    case contrast = "Contrast"
    /// `adjust_sharpness(1 + m)`.
    case sharpness = "Sharpness"
    /// `posterize(int(m))`.
    case posterize = "Posterize"
    /// `solarize(m)`.
    case solarize = "Solarize"
    /// `autocontrast`.
    case autoContrast = "AutoContrast"
    /// `equalize`.
    case equalize = "Equalize"
    /// `invert`.
    case invert = "Invert"

    /// RandAugment's and TrivialAugmentWide's 14 operations, in torchvision's order.
    public static let randAugment: [TorchvisionOperation] = [
        .identity, .shearX, .shearY, .translateX, .translateY, .rotate, .brightness, .color, .contrast, .sharpness,
        .posterize, .solarize, .autoContrast, .equalize,
    ]

    /// Whether torchvision flips the magnitude's sign with probability ½.
    public var isSigned: Bool {
        switch self {
        case .shearX, .shearY, .translateX, .translateY, .rotate, .brightness, .color, .contrast, .sharpness: true
        default: false
        }
    }

    /// torchvision's `_apply_op` on a PIL image.
    /// - Parameters:
    ///   - image: The input.
    ///   - magnitude: The signed magnitude.
    ///   - interpolation: The filter of geometric operations.
    ///   - fill: The fill colour of geometric operations.
    /// - Returns: The transformed image.
    public func apply(to image: Image, magnitude: Double, interpolation: AffineInterpolation, fill: [UInt8]) -> Image {
        switch self {
        case .identity: return image
        case .shearX, .shearY:
            // The matrix torchvision's `_get_inverse_affine_matrix` builds for a pure shear about (0, 0).
            let angle = atan(magnitude) * (180.0 / Double.pi) * (Double.pi / 180.0)
            let matrix = self == .shearX ? AffineMatrix(1, tan(angle), 0, 0, 1, 0)
                : AffineMatrix(1, 0, 0, sin(angle) / cos(angle), 1, 0)
            return image.affineTransformed(matrix, interpolation: interpolation, fill: fill)
        case .translateX:
            return image.affineTransformed(.translateX(-Double(Int(magnitude))), interpolation: interpolation, fill: fill)
        case .translateY:
            return image.affineTransformed(.translateY(-Double(Int(magnitude))), interpolation: interpolation, fill: fill)
        case .rotate: return image.rotated(degrees: magnitude, interpolation: interpolation, fill: fill)
        case .brightness: return image.brightnessEnhanced(1 + magnitude)
        case .color: return image.colorEnhanced(1 + magnitude)
        case .contrast: return image.contrastEnhanced(1 + magnitude)
        case .sharpness: return image.sharpnessEnhanced(1 + magnitude)
        case .posterize: return image.posterized(bits: Int(magnitude))
        case .solarize: return image.solarized(threshold: Int(magnitude.rounded(.up)))
        case .autoContrast: return image.autocontrasted()
        case .equalize: return image.equalized()
        case .invert: return image.inverted()
        }
    }

    /// The magnitude table torchvision builds for this operation (`nil` for operations without a magnitude).
    /// - Parameters:
    ///   - bins: The number of magnitude bins (≥ 2).
    ///   - width: The image's width (translations).
    ///   - height: The image's height (translations).
    ///   - wide: TrivialAugmentWide's wider ranges.
    /// - Returns: The magnitudes, rounded to single precision as torch's `linspace` makes them.
    public func magnitudes(bins: Int, width: Int, height: Int, wide: Bool = false) -> [Double]? {
        switch self {
        case .identity, .autoContrast, .equalize, .invert: return nil
        case .shearX, .shearY: return Self.linspace(0, wide ? 0.99 : 0.3, bins)
        case .translateX: return Self.linspace(0, wide ? 32 : 150.0 / 331.0 * Double(width), bins)
        case .translateY: return Self.linspace(0, wide ? 32 : 150.0 / 331.0 * Double(height), bins)
        case .rotate: return Self.linspace(0, wide ? 135 : 30, bins)
        case .brightness, .color, .contrast, .sharpness: return Self.linspace(0, wide ? 0.99 : 0.9, bins)
        case .posterize:
            let divisor = Float(Double(bins - 1) / (wide ? 6 : 4))
            return (0..<bins).map { Double(8 - Int((Float($0) / divisor).rounded(.toNearestOrEven))) }
        case .solarize: return Self.linspace(255, 0, bins)
        }
    }

    /// torch's `linspace` in single precision: the first half counts up from `start`, the second down from `end`,
    /// each element one fused multiply-add (as torch's vectorised CPU kernel computes it).
    static func linspace(_ start: Double, _ end: Double, _ steps: Int) -> [Double] {
        let first = Float(start), last = Float(end)
        guard steps > 1 else { return steps == 1 ? [Double(first)] : [] }
        let step = (last - first) / Float(steps - 1)
        return (0..<steps).map { index in
            Double(index < steps / 2 ? first.addingProduct(step, Float(index))
                : last.addingProduct(-step, Float(steps - index - 1)))
        }
    }
}
