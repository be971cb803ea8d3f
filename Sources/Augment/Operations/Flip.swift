import ImageCodec

/// Mirrors the image left to right with probability `p` (torchvision `RandomHorizontalFlip`).
public struct HorizontalFlip: Augmenter {
    /// The probability of flipping.
    public let p: Double

    /// Creates the augmenter.
    /// - Parameter p: The probability of flipping (default 0.5).
    public init(p: Double = 0.5) { self.p = p }

    /// Flips the sample's image if `rng.chance(p)` (which draws once unless `p` is 0 or 1).
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        guard rng.chance(p) else { return }
        sample.image = .decoded(try sample.pixels().flippedHorizontally())
    }
}

/// Mirrors the image top to bottom with probability `p` (torchvision `RandomVerticalFlip`).
public struct VerticalFlip: Augmenter {
    /// The probability of flipping.
    public let p: Double

    /// Creates the augmenter.
    /// - Parameter p: The probability of flipping (default 0.5).
    public init(p: Double = 0.5) { self.p = p }

    /// Flips the sample's image if `rng.chance(p)` (which draws once unless `p` is 0 or 1).
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        guard rng.chance(p) else { return }
        sample.image = .decoded(try sample.pixels().flippedVertically())
    }
}
