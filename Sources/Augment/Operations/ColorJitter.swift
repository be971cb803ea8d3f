import ImageCodec

/// torchvision's `ColorJitter` on PIL images: brightness, contrast, saturation and hue factors drawn uniformly from
/// their ranges and applied in a random order (`adjust_brightness`, `adjust_contrast`, `adjust_saturation` are the
/// Pillow enhancers, `adjust_hue` goes through Pillow's HSV). Enhancers are exact; hue is within ±1 of torchvision.
public struct ColorJitter: Augmenter {
    /// One of the four adjustments.
    public enum Adjustment: String, Sendable, Hashable, CaseIterable, Codable {
        /// `adjust_brightness`.
        case brightness
        /// `adjust_contrast`.
        case contrast
        /// `adjust_saturation`.
        case saturation
        /// `adjust_hue`.
        case hue
    }

    /// The brightness factor range (`nil`: no adjustment).
    public let brightness: ClosedRange<Double>?
    /// The contrast factor range.
    public let contrast: ClosedRange<Double>?
    /// The saturation factor range.
    public let saturation: ClosedRange<Double>?
    /// The hue shift range (within −0.5…0.5).
    public let hue: ClosedRange<Double>?

    /// Creates the augmenter from factor ranges.
    /// - Parameters:
    ///   - brightness: Brightness factors, or `nil`.
    ///   - contrast: Contrast factors, or `nil`.
    ///   - saturation: Saturation factors, or `nil`.
    ///   - hue: Hue shifts, or `nil`.
    public init(brightness: ClosedRange<Double>?, contrast: ClosedRange<Double>?, saturation: ClosedRange<Double>?,
                hue: ClosedRange<Double>?) {
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.hue = hue
    }

    /// Creates the augmenter with torchvision's scalar arguments: `b` means `max(0, 1 − b)…1 + b` (likewise contrast
    /// and saturation) and `h` means `−h…h`; 0 disables an adjustment.
    /// - Parameters:
    ///   - brightness: ≥ 0.
    ///   - contrast: ≥ 0.
    ///   - saturation: ≥ 0.
    ///   - hue: 0…0.5.
    public init(brightness: Double = 0, contrast: Double = 0, saturation: Double = 0, hue: Double = 0) {
        func factor(_ value: Double) -> ClosedRange<Double>? { value == 0 ? nil : max(0, 1 - value)...(1 + value) }
        self.init(brightness: factor(brightness), contrast: factor(contrast), saturation: factor(saturation),
                  hue: hue == 0 ? nil : -hue...hue)
    }

    /// Applies chosen factors in a chosen order (torchvision's `forward` after `get_params`).
    /// - Parameters:
    ///   - image: The image.
    ///   - order: The order of the adjustments.
    ///   - brightness: The brightness factor, or `nil` to skip.
    ///   - contrast: The contrast factor, or `nil`.
    ///   - saturation: The saturation factor, or `nil`.
    ///   - hue: The hue shift, or `nil`.
    /// - Returns: The adjusted image.
    public static func apply(_ image: Image, order: [Adjustment], brightness: Double?, contrast: Double?,
                             saturation: Double?, hue: Double?) -> Image {
        var result = image
        for adjustment in order {
            switch adjustment {
            case .brightness: if let brightness { result = result.brightnessEnhanced(brightness) }
            case .contrast: if let contrast { result = result.contrastEnhanced(contrast) }
            case .saturation: if let saturation { result = result.colorEnhanced(saturation) }
            case .hue: if let hue { result = result.hueAdjusted(hue) }
            }
        }
        return result
    }

    /// Draws the order (a random permutation of the four) and the factors (single-precision uniforms, in the
    /// order brightness, contrast, saturation, hue, skipping disabled ones), as `get_params` does.
    /// - Parameter rng: The generator.
    /// - Returns: The order and the factors.
    public func parameters(using rng: inout SampleRNG)
        -> (order: [Adjustment], brightness: Double?, contrast: Double?, saturation: Double?, hue: Double?) {
        let order = rng.permutation(4).map { Adjustment.allCases[$0] }
        let b = brightness.map { rng.torchUniform($0) }
        let c = contrast.map { rng.torchUniform($0) }
        let s = saturation.map { rng.torchUniform($0) }
        let h = hue.map { rng.torchUniform($0) }
        return (order, b, c, s, h)
    }
}
