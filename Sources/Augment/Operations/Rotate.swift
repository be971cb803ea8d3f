import ImageCodec

/// Rotates by an angle drawn uniformly from `degrees` (torchvision `RandomRotation` on PIL images, Pillow `rotate`);
/// a single-value range rotates by exactly that angle. Positive angles turn counter-clockwise. With `expand` the output
/// grows to hold the whole rotated image (Pillow's and torchvision's `expand=True`).
public struct Rotate: Augmenter {
    /// The angle range in degrees.
    public let degrees: ClosedRange<Double>
    /// The filter.
    public let interpolation: AffineInterpolation
    /// The centre of rotation (`nil`: the image's centre).
    public let center: (x: Double, y: Double)?
    /// The colour of areas outside the rotated image.
    public let fill: [UInt8]
    /// Whether the output grows to hold the whole rotated image (`false`: the input's size).
    public let expand: Bool

    /// Creates the augmenter.
    /// - Parameters:
    ///   - degrees: The angle range (torchvision `RandomRotation(degrees=d)` is `-d...d`).
    ///   - interpolation: The filter (default nearest, torchvision's default).
    ///   - center: The centre, or `nil`.
    ///   - fill: One value or one per channel (default 0).
    ///   - expand: Whether the output grows to hold the whole rotated image (default `false`).
    public init(degrees: ClosedRange<Double>, interpolation: AffineInterpolation = .nearest,
                center: (x: Double, y: Double)? = nil, fill: [UInt8] = [0], expand: Bool = false) {
        self.degrees = degrees
        self.interpolation = interpolation
        self.center = center
        self.fill = fill
        self.expand = expand
    }

    /// Creates a fixed rotation.
    /// - Parameters:
    ///   - angle: The angle in degrees.
    ///   - interpolation: The filter.
    ///   - fill: The fill colour.
    ///   - expand: Whether the output grows to hold the whole rotated image.
    public init(angle: Double, interpolation: AffineInterpolation = .nearest, fill: [UInt8] = [0], expand: Bool = false) {
        self.init(degrees: angle...angle, interpolation: interpolation, fill: fill, expand: expand)
    }
}
