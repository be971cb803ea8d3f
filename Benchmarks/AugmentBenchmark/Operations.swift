import Augment
import ImageCodec

/// The operations measured against Pillow, with the fixed parameters `Benchmarks/peers/pillow_ops.py` uses (keep the
/// two lists in step: same names, same parameters, same image subsets).
struct Operation: Sendable {
    /// The name both programs print (`op=NAME`).
    let name: String
    /// Whether the operation runs on the 500×375 images only (the resizes to 224×224) rather than on the whole set.
    let largeOnly: Bool
    /// The operation.
    let apply: @Sendable (Image) -> Image

    /// timm's `img_mean` fill, used by every geometric operation on both sides.
    static let fill: [UInt8] = [124, 116, 104]
    /// The output of the resize rows.
    static let resizeTarget = PixelSize(width: 224, height: 224)

    /// Every operation, in the table's order.
    static let all: [Operation] = [
        Operation(name: "rotate30_bilinear", largeOnly: false) {
            $0.rotated(degrees: 30, interpolation: .bilinear, fill: fill)
        },
        Operation(name: "shearx0.3_bicubic", largeOnly: false) {
            $0.affineTransformed(.shearX(0.3), interpolation: .bicubic, fill: fill)
        },
        Operation(name: "translatex40_bilinear", largeOnly: false) {
            $0.affineTransformed(.translateX(40), interpolation: .bilinear, fill: fill)
        },
        Operation(name: "autocontrast", largeOnly: false) { $0.autocontrasted() },
        Operation(name: "equalize", largeOnly: false) { $0.equalized() },
        Operation(name: "invert", largeOnly: false) { $0.inverted() },
        Operation(name: "posterize4", largeOnly: false) { $0.posterized(bits: 4) },
        Operation(name: "solarize128", largeOnly: false) { $0.solarized(threshold: 128) },
        Operation(name: "solarize_add100", largeOnly: false) { $0.solarizedAdding(100, threshold: 128) },
        Operation(name: "color1.5", largeOnly: false) { $0.colorEnhanced(1.5) },
        Operation(name: "contrast1.5", largeOnly: false) { $0.contrastEnhanced(1.5) },
        Operation(name: "brightness1.5", largeOnly: false) { $0.brightnessEnhanced(1.5) },
        Operation(name: "sharpness1.5", largeOnly: false) { $0.sharpnessEnhanced(1.5) },
        Operation(name: "grayscale", largeOnly: false) { $0.grayscale(outputChannels: 1) },
        Operation(name: "gaussian_blur_k5_s1.5", largeOnly: false) {
            $0.gaussianBlurred(kernelSize: (x: 5, y: 5), sigma: (x: 1.5, y: 1.5))
        },
        Operation(name: "resize224_bilinear", largeOnly: true) { $0.resized(to: resizeTarget, filter: .bilinear) },
        Operation(name: "resize224_bicubic", largeOnly: true) { $0.resized(to: resizeTarget, filter: .bicubic) },
        Operation(name: "hflip", largeOnly: false) { $0.flippedHorizontally() },
    ]

    /// Creates an operation.
    /// - Parameters:
    ///   - name: The printed name.
    ///   - largeOnly: Whether only the 500×375 images go through it.
    ///   - apply: The operation.
    init(name: String, largeOnly: Bool, apply: @escaping @Sendable (Image) -> Image) {
        self.name = name
        self.largeOnly = largeOnly
        self.apply = apply
    }
}
