import ImageCodec

/// torchvision's `RandAugment(num_ops, magnitude, num_magnitude_bins, interpolation, fill)`: `num_ops` operations drawn
/// uniformly with replacement from its 14, each at magnitude bin `magnitude`, signed operations negated with
/// probability ½.
public struct TorchvisionRandAugment: ReplayableAugmenter {
    /// Operations per image.
    public let numOps: Int
    /// The magnitude bin (0 ..< bins).
    public let magnitude: Int
    /// The number of magnitude bins.
    public let bins: Int
    /// The filter (torchvision's default nearest).
    public let interpolation: AffineInterpolation
    /// The fill colour (default 0).
    public let fill: [UInt8]

    /// Creates the policy.
    /// - Parameters:
    ///   - numOps: Operations per image (default 2).
    ///   - magnitude: The magnitude bin (default 9).
    ///   - bins: The number of bins (default 31).
    ///   - interpolation: The filter (default nearest).
    ///   - fill: The fill colour (default 0).
    /// - Throws: `AugmentError` naming `tv_randaugment` when `bins < 2`, `magnitude` is outside `0..<bins` or `numOps < 0`.
    public init(numOps: Int = 2, magnitude: Int = 9, bins: Int = 31, interpolation: AffineInterpolation = .nearest,
                fill: [UInt8] = [0]) throws(AugmentError) {
        guard bins >= 2, (0..<bins).contains(magnitude), numOps >= 0 else {
            throw AugmentError(operation: "tv_randaugment", key: PipelineSpec.errorKey,
                               message: "need num_ops ≥ 0, bins ≥ 2 and 0 ≤ magnitude < bins (got \(numOps), \(bins), \(magnitude))")
        }
        self.numOps = numOps
        self.magnitude = magnitude
        self.bins = bins
        self.interpolation = interpolation
        self.fill = fill
    }

    /// The registry name.
    public var operationName: String { "tv_randaugment" }

    /// Draws each operation, then its sign (signed operations only).
    /// - Parameters:
    ///   - sample: The sample (its size sets the translation range).
    ///   - rng: The sample's generator.
    /// - Returns: The draws.
    /// - Throws: `AugmentError` when the size cannot be read.
    public func draw(for sample: Sample, using rng: inout SampleRNG) throws(AugmentError) -> TorchvisionPolicyDraw {
        let size = try sample.imageSize()
        let list = TorchvisionOperation.randAugment
        var draws: [TorchvisionOpDraw] = []
        for _ in 0..<numOps {
            let operation = list[rng.int(in: 0...(list.count - 1))]
            var value = operation.magnitudes(bins: bins, width: size.width, height: size.height)?[magnitude] ?? 0
            if operation.isSigned && rng.int(in: 0...1) == 1 { value = -value }
            draws.append(TorchvisionOpDraw(operation: operation, magnitude: value))
        }
        return TorchvisionPolicyDraw(operations: draws)
    }

    /// Applies the draws.
    /// - Parameters:
    ///   - parameters: The draws.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func apply(_ parameters: TorchvisionPolicyDraw, to sample: inout Sample) throws(AugmentError) {
        try parameters.apply(to: &sample, interpolation: interpolation, fill: fill)
    }
}
