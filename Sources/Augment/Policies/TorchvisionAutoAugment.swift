import ImageCodec

/// torchvision's `AutoAugment(policy, interpolation, fill)` (IMAGENET, CIFAR10 or SVHN): one of 25 sub-policies drawn
/// uniformly, then two
/// probability draws and two sign coins; each operation applies when its draw ≤ its probability, at its magnitude bin
/// of a 10-bin table, negated when its coin is 0 (signed operations).
public struct TorchvisionAutoAugment: ReplayableAugmenter {
    /// The filter (default nearest).
    public let interpolation: AffineInterpolation
    /// The fill colour (default 0).
    public let fill: [UInt8]
    /// The policy table.
    public let policy: TorchvisionAutoAugmentPolicy

    /// Creates the policy.
    /// - Parameters:
    ///   - policy: The table (default IMAGENET, torchvision's default).
    ///   - interpolation: The filter (default nearest).
    ///   - fill: The fill colour (default 0).
    public init(policy: TorchvisionAutoAugmentPolicy = .imagenet, interpolation: AffineInterpolation = .nearest,
                fill: [UInt8] = [0]) {
        self.policy = policy
        self.interpolation = interpolation
        self.fill = fill
    }

    /// One entry of a sub-policy: operation, probability, magnitude bin (`nil`: none).
    public typealias Entry = (operation: TorchvisionOperation, probability: Double, bin: Int?)

    /// The IMAGENET sub-policies.
    public static let imagenet: [[Entry]] = [
        [(.posterize, 0.4, 8), (.rotate, 0.6, 9)], [(.solarize, 0.6, 5), (.autoContrast, 0.6, nil)],
        [(.equalize, 0.8, nil), (.equalize, 0.6, nil)], [(.posterize, 0.6, 7), (.posterize, 0.6, 6)],
        [(.equalize, 0.4, nil), (.solarize, 0.2, 4)], [(.equalize, 0.4, nil), (.rotate, 0.8, 8)],
        [(.solarize, 0.6, 3), (.equalize, 0.6, nil)], [(.posterize, 0.8, 5), (.equalize, 1.0, nil)],
        [(.rotate, 0.2, 3), (.solarize, 0.6, 8)], [(.equalize, 0.6, nil), (.posterize, 0.4, 6)],
        [(.rotate, 0.8, 8), (.color, 0.4, 0)], [(.rotate, 0.4, 9), (.equalize, 0.6, nil)],
        [(.equalize, 0.0, nil), (.equalize, 0.8, nil)], [(.invert, 0.6, nil), (.equalize, 1.0, nil)],
        [(.color, 0.6, 4), (.contrast, 1.0, 8)], [(.rotate, 0.8, 8), (.color, 1.0, 2)],
        [(.color, 0.8, 8), (.solarize, 0.8, 7)], [(.sharpness, 0.4, 7), (.invert, 0.6, nil)],
        [(.shearX, 0.6, 5), (.equalize, 1.0, nil)], [(.color, 0.4, 0), (.equalize, 0.6, nil)],
        [(.equalize, 0.4, nil), (.solarize, 0.2, 4)], [(.solarize, 0.6, 5), (.autoContrast, 0.6, nil)],
        [(.invert, 0.6, nil), (.equalize, 1.0, nil)], [(.color, 0.6, 4), (.contrast, 1.0, 8)],
        [(.equalize, 0.8, nil), (.equalize, 0.6, nil)],
    ]

    /// The registry name.
    public var operationName: String { "autoaugment" }

    /// Draws the sub-policy, two probabilities (single precision, as `torch.rand`) and two sign coins.
    /// - Parameters:
    ///   - sample: The sample (its size sets translation ranges).
    ///   - rng: The sample's generator.
    /// - Returns: The draws (both entries, `applied` telling which passed).
    /// - Throws: `AugmentError` when the size cannot be read.
    public func draw(for sample: Sample, using rng: inout SampleRNG) throws(AugmentError) -> TorchvisionPolicyDraw {
        let size = try sample.imageSize()
        let table = policy.subPolicies
        let entries = table[rng.int(in: 0...(table.count - 1))]
        let probabilities = entries.map { _ in Float(rng.uniform()) }
        let coins = entries.map { _ in rng.int(in: 0...1) }
        return TorchvisionPolicyDraw(operations: entries.indices.map { index in
            let entry = entries[index]
            var value = entry.bin.flatMap {
                entry.operation.magnitudes(bins: 10, width: size.width, height: size.height)?[$0]
            } ?? 0
            if entry.operation.isSigned && coins[index] == 0 { value = -value }
            return TorchvisionOpDraw(operation: entry.operation, applied: probabilities[index] <= Float(entry.probability),
                                     magnitude: value)
        })
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
