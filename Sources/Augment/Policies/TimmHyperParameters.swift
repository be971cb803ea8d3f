/// timm's `hparams` for its augmentation operations, with the defaults timm's `create_transform` uses for ImageNet.
public struct TimmHyperParameters: Sendable, Hashable, Codable {
    /// The standard deviation of the Gaussian magnitude noise (`mstd`): 0 for none, `.infinity` for a uniform draw
    /// in `0…magnitude`.
    public var magnitudeStd: Double
    /// The clipping bound of the magnitude (`mmax`; `nil` or 0 means timm's 10).
    public var magnitudeMax: Double?
    /// The fill colour of geometric operations (timm: the ImageNet mean, `(124, 116, 104)`).
    public var fill: [UInt8]
    /// A fixed filter for geometric operations, or `nil` for timm's random choice of bilinear or bicubic.
    public var interpolation: AffineInterpolation?
    /// Pixels at level 1 for `TranslateX`/`TranslateY` (timm default 250).
    public var translateConst: Double
    /// Fraction of the size at level 1 for the relative translations (timm 0.45; 0.3 for AugMix in `create_transform`).
    public var translatePct: Double

    /// Creates the parameters.
    /// - Parameters:
    ///   - magnitudeStd: The magnitude noise (0 none, `.infinity` uniform).
    ///   - magnitudeMax: The clipping bound (`nil`: 10).
    ///   - fill: The fill colour (default the ImageNet mean).
    ///   - interpolation: A fixed filter, or `nil` for random bilinear/bicubic.
    ///   - translateConst: Pixels at level 1 for absolute translations.
    ///   - translatePct: Fraction at level 1 for relative translations.
    public init(magnitudeStd: Double = 0, magnitudeMax: Double? = nil, fill: [UInt8] = [124, 116, 104],
                interpolation: AffineInterpolation? = nil, translateConst: Double = 250, translatePct: Double = 0.45) {
        self.magnitudeStd = magnitudeStd
        self.magnitudeMax = magnitudeMax
        self.fill = fill
        self.interpolation = interpolation
        self.translateConst = translateConst
        self.translatePct = translatePct
    }
}
