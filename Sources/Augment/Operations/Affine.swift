import ImageCodec

/// Applies a fixed Pillow affine matrix (`transform(size, AFFINE, matrix, resample, fillcolor)`).
public struct Affine: Augmenter {
    /// The output → input matrix.
    public let matrix: AffineMatrix
    /// The filter.
    public let interpolation: AffineInterpolation
    /// The fill colour.
    public let fill: [UInt8]

    /// Creates the augmenter.
    /// - Parameters:
    ///   - matrix: The matrix.
    ///   - interpolation: The filter (default nearest).
    ///   - fill: One value or one per channel (default 0).
    public init(matrix: AffineMatrix, interpolation: AffineInterpolation = .nearest, fill: [UInt8] = [0]) {
        self.matrix = matrix
        self.interpolation = interpolation
        self.fill = fill
    }
}

/// Which one-parameter affine map a `Shear`/`Translate` augmenter builds.
enum AffineAxisMap {
    case shearX, shearY, translateX, translateY

    func matrix(_ value: Double) -> AffineMatrix {
        switch self {
        case .shearX: return .shearX(value)
        case .shearY: return .shearY(value)
        case .translateX: return .translateX(value)
        case .translateY: return .translateY(value)
        }
    }
}

/// The shared body of the shear and translate augmenters: draw a magnitude, maybe negate it, scale it, transform.
struct AffineAxisDraw: Sendable {
    let magnitude: ClosedRange<Double>
    let randomSign: Bool
    let interpolation: AffineInterpolation
    let fill: [UInt8]

    func draw(using rng: inout SampleRNG) -> Double {
        rng.signed(rng.torchUniform(magnitude), randomSign: randomSign)
    }

    func apply(_ map: AffineAxisMap, value: Double, to sample: inout Sample) throws(AugmentError) {
        let matrix = map.matrix(value)
        try sample.transformPixels { $0.affineTransformed(matrix, interpolation: interpolation, fill: fill) }
    }
}
