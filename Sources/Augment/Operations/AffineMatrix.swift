/// The six coefficients of Pillow's `transform(size, AFFINE, (a, b, c, d, e, f))`: the map from an output pixel
/// centre to the input position, `x_in = a·x + b·y + c`, `y_in = d·x + e·y + f`.
public struct AffineMatrix: Sendable, Hashable, Codable {
    /// Coefficients `a, b, c, d, e, f`.
    public var a, b, c, d, e, f: Double

    /// Creates a matrix from Pillow's six coefficients.
    /// - Parameters:
    ///   - a: x from x.
    ///   - b: x from y.
    ///   - c: x offset.
    ///   - d: y from x.
    ///   - e: y from y.
    ///   - f: y offset.
    public init(_ a: Double, _ b: Double, _ c: Double, _ d: Double, _ e: Double, _ f: Double) {
        (self.a, self.b, self.c, self.d, self.e, self.f) = (a, b, c, d, e, f)
    }

    /// The identity.
    public static let identity = AffineMatrix(1, 0, 0, 0, 1, 0)

    /// timm's `shear_x`: `(1, factor, 0, 0, 1, 0)`.
    /// - Parameter factor: The shear factor.
    /// - Returns: The matrix.
    public static func shearX(_ factor: Double) -> AffineMatrix { AffineMatrix(1, factor, 0, 0, 1, 0) }

    /// timm's `shear_y`: `(1, 0, 0, factor, 1, 0)`.
    /// - Parameter factor: The shear factor.
    /// - Returns: The matrix.
    public static func shearY(_ factor: Double) -> AffineMatrix { AffineMatrix(1, 0, 0, factor, 1, 0) }

    /// timm's `translate_x_abs`: `(1, 0, pixels, 0, 1, 0)` (the content moves left for positive `pixels`).
    /// - Parameter pixels: The offset in input pixels.
    /// - Returns: The matrix.
    public static func translateX(_ pixels: Double) -> AffineMatrix { AffineMatrix(1, 0, pixels, 0, 1, 0) }

    /// timm's `translate_y_abs`: `(1, 0, 0, 0, 1, pixels)`.
    /// - Parameter pixels: The offset in input pixels.
    /// - Returns: The matrix.
    public static func translateY(_ pixels: Double) -> AffineMatrix { AffineMatrix(1, 0, 0, 0, 1, pixels) }
}
