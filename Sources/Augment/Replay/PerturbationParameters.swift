import ImageCodec

/// What a point or colour operation with a probability drew: whether it applied and, when it did, its level
/// (`posterize` bits, `solarize` threshold, `solarize_add` addend, an enhancer's factor; absent for operations
/// without a level).
public struct LevelParameters: Codable, Sendable, Hashable {
    /// Whether the operation applied (`rng.chance(p)`).
    public var applied: Bool
    /// The drawn level, when applied and the operation has one.
    public var level: Double?

    /// Creates the parameters.
    /// - Parameters:
    ///   - applied: Whether the operation applied.
    ///   - level: The drawn level.
    public init(applied: Bool, level: Double? = nil) {
        self.applied = applied
        self.level = level
    }
}

/// What `color_jitter` drew: the order of the adjustments and each factor (absent for an adjustment that is off).
public struct ColorJitterParameters: Codable, Sendable, Hashable {
    /// The order the four adjustments run in (torchvision's `randperm(4)`).
    public var order: [ColorJitter.Adjustment]
    /// The brightness factor.
    public var brightness: Double?
    /// The contrast factor.
    public var contrast: Double?
    /// The saturation factor.
    public var saturation: Double?
    /// The hue shift (fraction of a turn).
    public var hue: Double?

    /// Creates the parameters.
    /// - Parameters:
    ///   - order: The adjustment order.
    ///   - brightness: The brightness factor.
    ///   - contrast: The contrast factor.
    ///   - saturation: The saturation factor.
    ///   - hue: The hue shift.
    public init(order: [ColorJitter.Adjustment], brightness: Double?, contrast: Double?, saturation: Double?, hue: Double?) {
        self.order = order
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.hue = hue
    }
}

/// What `random_affine` drew: angle, translation in pixels of the input (with the input's size, so it carries to
/// another size as a fraction of the side), scale and shear angles.
public struct RandomAffineParameters: Codable, Sendable, Hashable {
    /// The rotation angle in degrees.
    public var angle: Double
    /// The translation `[x, y]` in input pixels (integers, as torchvision rounds them).
    public var translate: [Double]
    /// The scale factor.
    public var scale: Double
    /// The shear angles `[x, y]` in degrees.
    public var shear: [Double]
    /// The size of the image the translation was drawn for.
    public var input: PixelSize?

    /// Creates the parameters.
    /// - Parameters:
    ///   - angle: The angle.
    ///   - translate: The translation.
    ///   - scale: The scale.
    ///   - shear: The shear angles.
    ///   - input: The input's size.
    public init(angle: Double, translate: [Double], scale: Double, shear: [Double], input: PixelSize?) {
        self.angle = angle
        self.translate = translate
        self.scale = scale
        self.shear = shear
        self.input = input
    }
}

/// What a one-axis affine operation drew: `shear_x`/`shear_y` a factor, `translate_x`/`translate_y` an offset in input
/// pixels with the input's size (carried to another size as a fraction of the side); `rotate` an angle in degrees;
/// `gaussian_blur` a sigma.
public struct ValueParameters: Codable, Sendable, Hashable {
    /// The drawn value (after any random sign).
    public var value: Double
    /// The size of the image a pixel offset was drawn for (translations only).
    public var input: PixelSize?

    /// Creates the parameters.
    /// - Parameters:
    ///   - value: The value.
    ///   - input: The input's size, for pixel offsets.
    public init(value: Double, input: PixelSize? = nil) {
        self.value = value
        self.input = input
    }
}

/// What `random_erasing` drew: the erased regions in input pixels with the input's size (carried to another size in
/// relative form), and for `rand`/`pixel` modes the generator state the fill noise is drawn from.
public struct ErasingParameters: Codable, Sendable, Hashable {
    /// The erased rectangles, in the order they were drawn.
    public var regions: [PixelRegion]
    /// The size of the image the regions were drawn on.
    public var input: PixelSize?
    /// `SampleRNG.state` where the noise begins (`rand` and `pixel` modes; the values themselves can be millions).
    public var noise: String?

    /// Creates the parameters.
    /// - Parameters:
    ///   - regions: The rectangles.
    ///   - input: The input's size.
    ///   - noise: The noise generator's state.
    public init(regions: [PixelRegion], input: PixelSize?, noise: String?) {
        self.regions = regions
        self.input = input
        self.noise = noise
    }
}
