import ImageCodec

/// timm's RandAugment (`rand_augment_transform`): `n` operations drawn uniformly with replacement from the list,
/// each applied with probability `p`, with magnitude `m` plus optional noise, clipped to `0…mmax`.
public struct TimmRandAugment: ReplayableAugmenter {
    /// The operations to choose from.
    public let operations: [TimmAugmentOp]
    /// Operations per image (`n`).
    public let layers: Int

    /// Creates the policy from an operation list.
    /// - Parameters:
    ///   - operations: The operations (non-empty).
    ///   - layers: Operations per image.
    public init(operations: [TimmAugmentOp], layers: Int) {
        precondition(!operations.isEmpty, "RandAugment needs operations")
        self.operations = operations
        self.layers = layers
    }

    /// Creates the policy from a timm config string: `rand` followed by `m` (magnitude, default 10, in 0…100), `n`
    /// (layers, 2, in 0…100), `p` (probability, 0.5, in 0…1), `mstd` (noise in 0…1000; > 100 means uniform), `mmax`
    /// (clip, 10, in 0…100), `inc` (increasing variants, 0 or 1).
    /// - Parameters:
    ///   - config: The config string, e.g. `rand-m9-n2-mstd0.5`.
    ///   - hyperParameters: Fill, interpolation and translation constants (the noise and clip come from `config`).
    /// - Throws: `AugmentError` naming `randaugment` and the bad section.
    public init(config: String, hyperParameters: TimmHyperParameters = TimmHyperParameters()) throws(AugmentError) {
        let name = "randaugment"
        let parsed = TimmConfigString(config, allowTransformSets: true)
        guard parsed.name == "rand" else { throw TimmConfigString.error(name, "'\(config)' does not start with 'rand'") }
        if let set = parsed.transformSets.first { throw TimmConfigString.error(name, "transform set 't\(set)' is not supported") }
        var hyper = hyperParameters
        var magnitude = 10.0, layers = 2, probability = 0.5, increasing = false
        for (key, value) in parsed.sections {
            switch key {
            case "mstd":
                let deviation = try TimmConfigString.double(name, key, value, in: TimmConfigString.deviationBounds)
                hyper.magnitudeStd = deviation > 100 ? .infinity : deviation
            case "mmax":
                hyper.magnitudeMax = Double(try TimmConfigString.int(name, key, value, in: TimmConfigString.magnitudeBounds))
            case "inc": increasing = try TimmConfigString.int(name, key, value, in: 0...1) != 0
            case "m": magnitude = Double(try TimmConfigString.int(name, key, value, in: TimmConfigString.magnitudeBounds))
            case "n": layers = try TimmConfigString.int(name, key, value, in: TimmConfigString.countBounds)
            case "p": probability = try TimmConfigString.double(name, key, value, in: 0...1)
            default: throw TimmConfigString.error(name, "unknown section '\(key)\(value)'")
            }
        }
        let list = increasing ? TimmOperation.randAugmentIncreasing : TimmOperation.randAugment
        self.init(operations: list.map { TimmAugmentOp($0, probability: probability, magnitude: magnitude, hyperParameters: hyper) },
                  layers: layers)
    }

    /// The registry name.
    public var operationName: String { "randaugment" }

    /// Draws the operations (uniform, with replacement) and each one's parameters.
    /// - Parameters:
    ///   - sample: The sample (not read).
    ///   - rng: The sample's generator.
    /// - Returns: The draws, in application order.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> TimmPolicyDraw {
        var draws: [TimmOpDraw] = []
        for _ in 0..<layers { draws.append(operations[rng.int(in: 0...(operations.count - 1))].draw(using: &rng)) }
        return TimmPolicyDraw(operations: draws)
    }

    /// Applies drawn operations in order.
    /// - Parameters:
    ///   - parameters: The draws.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func apply(_ parameters: TimmPolicyDraw, to sample: inout Sample) throws(AugmentError) {
        guard parameters.operations.contains(where: \.applied) else { return }
        let fill = operations[0].hyperParameters.fill
        try sample.transformPixels { image in parameters.operations.reduce(image) { $1.apply(to: $0, fill: fill) } }
    }
}
