import ImageCodec

/// timm's AutoAugment (`auto_augment_transform`): one sub-policy drawn uniformly per image, each of its operations
/// applied with its own probability and magnitude (plus optional magnitude noise).
public struct TimmAutoAugment: ReplayableAugmenter {
    /// The sub-policies.
    public let subPolicies: [[TimmAugmentOp]]

    /// Creates the policy.
    /// - Parameters:
    ///   - policy: The policy.
    ///   - hyperParameters: Noise, fill, interpolation and translation constants.
    public init(policy: TimmAutoAugmentPolicy, hyperParameters: TimmHyperParameters = TimmHyperParameters()) {
        subPolicies = policy.subPolicies.map { row in
            row.map { TimmAugmentOp($0.operation, probability: $0.probability, magnitude: $0.magnitude,
                                    hyperParameters: hyperParameters) }
        }
    }

    /// Creates the policy from a timm config string: the policy name (`v0`, `v0r`, `original`, `originalr`, `3a`, optionally
    /// prefixed `autoaug-`) and an optional `mstd` section (in 0…1000).
    /// - Parameters:
    ///   - config: E.g. `v0-mstd0.5`.
    ///   - hyperParameters: Fill, interpolation and translation constants.
    /// - Throws: `AugmentError` naming `autoaugment` for an unknown policy or section.
    public init(config: String, hyperParameters: TimmHyperParameters = TimmHyperParameters()) throws(AugmentError) {
        let name = "autoaugment"
        let text = config.hasPrefix("autoaug-") ? String(config.dropFirst("autoaug-".count)) : config
        let parsed = TimmConfigString(text)
        guard let policy = TimmAutoAugmentPolicy(rawValue: parsed.name) else {
            throw TimmConfigString.error(name, "unknown policy '\(parsed.name)' (known: v0, v0r, original, originalr, 3a)")
        }
        var hyper = hyperParameters
        for (key, value) in parsed.sections {
            guard key == "mstd" else { throw TimmConfigString.error(name, "unknown section '\(key)\(value)'") }
            hyper.magnitudeStd = try TimmConfigString.double(name, key, value, in: TimmConfigString.deviationBounds)
        }
        self.init(policy: policy, hyperParameters: hyper)
    }

    /// The registry name.
    public var operationName: String { "autoaugment" }

    /// Draws a sub-policy and its operations' parameters.
    /// - Parameters:
    ///   - sample: The sample (not read).
    ///   - rng: The sample's generator.
    /// - Returns: The draws.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> TimmPolicyDraw {
        let chosen = subPolicies[rng.int(in: 0...(subPolicies.count - 1))]
        return TimmPolicyDraw(operations: chosen.map { $0.draw(using: &rng) })
    }

    /// Applies drawn operations in order.
    /// - Parameters:
    ///   - parameters: The draws.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func apply(_ parameters: TimmPolicyDraw, to sample: inout Sample) throws(AugmentError) {
        guard parameters.operations.contains(where: \.applied) else { return }
        let fill = subPolicies[0][0].hyperParameters.fill
        try sample.transformPixels { image in parameters.operations.reduce(image) { $1.apply(to: $0, fill: fill) } }
    }
}
