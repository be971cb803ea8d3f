import ImageCodec

/// torchvision's `TrivialAugmentWide(num_magnitude_bins, interpolation, fill)`: one operation per image drawn uniformly
/// from RandAugment's 14, a magnitude bin drawn uniformly, the sign flipped with probability ½; wider ranges (shear 0.99,
/// translate 32 px, rotate 135°, enhance 0.99, posterize down to 2 bits).
public struct TrivialAugmentWide: ReplayableAugmenter {
    /// The number of magnitude bins.
    public let bins: Int
    /// The filter (default nearest).
    public let interpolation: AffineInterpolation
    /// The fill colour (default 0).
    public let fill: [UInt8]

    /// Creates the policy.
    /// - Parameters:
    ///   - bins: The number of bins (default 31, ≥ 2).
    ///   - interpolation: The filter (default nearest).
    ///   - fill: The fill colour (default 0).
    /// - Throws: `AugmentError` naming `trivialaugment` when `bins < 2`.
    public init(bins: Int = 31, interpolation: AffineInterpolation = .nearest, fill: [UInt8] = [0]) throws(AugmentError) {
        guard bins >= 2 else {
            throw AugmentError(operation: "trivialaugment", key: PipelineSpec.errorKey, message: "need bins ≥ 2 (got \(bins))")
        }
        self.bins = bins
        self.interpolation = interpolation
        self.fill = fill
    }

    /// The registry name.
    public var operationName: String { "trivialaugment" }

    /// Draws the operation, its magnitude bin (operations with magnitudes only) and its sign (signed ones only).
    /// - Parameters:
    ///   - sample: The sample (not read: the wide ranges do not depend on the size).
    ///   - rng: The sample's generator.
    /// - Returns: The draw.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> TorchvisionPolicyDraw {
        let list = TorchvisionOperation.randAugment
        let operation = list[rng.int(in: 0...(list.count - 1))]
        var value = 0.0
        if let table = operation.magnitudes(bins: bins, width: 1, height: 1, wide: true) {
            value = table[rng.int(in: 0...(table.count - 1))]
        }
        if operation.isSigned && rng.int(in: 0...1) == 1 { value = -value }
        return TorchvisionPolicyDraw(operations: [TorchvisionOpDraw(operation: operation, magnitude: value)])
    }

    /// Applies the draw.
    /// - Parameters:
    ///   - parameters: The draw.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func apply(_ parameters: TorchvisionPolicyDraw, to sample: inout Sample) throws(AugmentError) {
        try parameters.apply(to: &sample, interpolation: interpolation, fill: fill)
    }
}
