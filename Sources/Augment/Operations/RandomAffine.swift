import ImageCodec

/// torchvision's `RandomAffine` on PIL images: an angle, a translation, a scale and shears drawn as `get_params`
/// draws them (single-precision uniforms; translations `round(U(−dx, dx))` pixels with `dx = fraction · size`), then
/// `F.affine`: the `AffineMatrix.torchvisionInverse` matrix about the centre through Pillow's `transform`.
public struct RandomAffine: Augmenter {
    /// The angle range in degrees.
    public let degrees: ClosedRange<Double>
    /// The largest translation as fractions of width and height, or `nil`.
    public let translate: (x: Double, y: Double)?
    /// The scale range, or `nil` for 1.
    public let scale: ClosedRange<Double>?
    /// The x-shear range in degrees, or `nil`.
    public let shearX: ClosedRange<Double>?
    /// The y-shear range in degrees, or `nil`.
    public let shearY: ClosedRange<Double>?
    /// The filter.
    public let interpolation: AffineInterpolation
    /// The fill colour.
    public let fill: [UInt8]
    /// The centre in pixels, or `nil` for the image's centre.
    public let center: (x: Double, y: Double)?

    /// Creates the augmenter.
    /// - Parameters:
    ///   - degrees: The angle range (torchvision's `degrees=d` is `−d…d`).
    ///   - translate: Largest translation fractions, or `nil`.
    ///   - scale: Scale range, or `nil`.
    ///   - shearX: x-shear range in degrees, or `nil`.
    ///   - shearY: y-shear range in degrees, or `nil`.
    ///   - interpolation: The filter (default nearest).
    ///   - fill: One value or one per channel (default 0).
    ///   - center: The centre, or `nil`.
    public init(degrees: ClosedRange<Double>, translate: (x: Double, y: Double)? = nil, scale: ClosedRange<Double>? = nil,
                shearX: ClosedRange<Double>? = nil, shearY: ClosedRange<Double>? = nil,
                interpolation: AffineInterpolation = .nearest, fill: [UInt8] = [0], center: (x: Double, y: Double)? = nil) {
        self.degrees = degrees
        self.translate = translate
        self.scale = scale
        self.shearX = shearX
        self.shearY = shearY
        self.interpolation = interpolation
        self.fill = fill
        self.center = center
    }

    /// torchvision's `F.affine` on a PIL image with explicit parameters.
    /// - Parameters:
    ///   - image: The image.
    ///   - angle: Degrees, counter-clockwise.
    ///   - translate: Pixels (x, y).
    ///   - scale: Scale (> 0).
    ///   - shear: Shear degrees (x, y).
    ///   - center: The centre, or `nil` for `(W/2, H/2)`.
    ///   - interpolation: The filter.
    ///   - fill: The fill colour.
    /// - Returns: The transformed image.
    public static func apply(_ image: Image, angle: Double, translate: (x: Double, y: Double), scale: Double,
                             shear: (x: Double, y: Double), center: (x: Double, y: Double)? = nil,
                             interpolation: AffineInterpolation, fill: [UInt8] = [0]) -> Image {
        let pivot = center ?? (Double(image.width) * 0.5, Double(image.height) * 0.5)
        let matrix = AffineMatrix.torchvisionInverse(center: pivot, angle: angle, translate: translate, scale: scale,
                                                     shear: shear)
        return image.affineTransformed(matrix, interpolation: interpolation, fill: fill)
    }
}
