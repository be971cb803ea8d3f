import ImageCodec

/// timm's RandAugment (`rand_augment_transform`): `n` operations drawn uniformly with replacement from the list (or,
/// with choice weights, without replacement in proportion to them, as numpy's `choice(replace=False, p=…)`), each
/// applied with probability `p`, with magnitude `m` plus optional noise, clipped to `0…mmax`.
public struct TimmRandAugment: ReplayableAugmenter {
    /// The operations to choose from.
    public let operations: [TimmAugmentOp]
    /// Operations per image (`n`).
    public let layers: Int
    /// Relative choice weights, one per operation (`nil`: uniform with replacement).
    public let choiceWeights: [Double]?

    /// Creates the policy from an operation list.
    /// - Parameters:
    ///   - operations: The operations (non-empty).
    ///   - layers: Operations per image (with weights at most the number of operations).
    ///   - choiceWeights: Positive relative weights, one per operation, for a choice without replacement (`nil`:
    ///     uniform with replacement).
    public init(operations: [TimmAugmentOp], layers: Int, choiceWeights: [Double]? = nil) {
        precondition(!operations.isEmpty, "RandAugment needs operations")
        precondition(choiceWeights.map { $0.count == operations.count && layers <= operations.count } ?? true,
                     "one weight per operation and at most that many layers")
        self.operations = operations
        self.layers = layers
        self.choiceWeights = choiceWeights
    }

    /// Creates the policy from a timm config string: `rand` followed by `m` (magnitude, default 10, in 0…100), `n`
    /// (layers, 2, in 0…100), `p` (probability, 0.5, in 0…1), `mstd` (noise in 0…1000; > 100 means uniform), `mmax`
    /// (clip, 10, in 0…100), `inc` (increasing variants, 0 or 1), and a transform set `t…` (the first one counts, as in
    /// timm): `tweights` (timm's weighted choice, 15 operations), `t3a` (3-Augment: solarize, desaturate, blur) or
    /// `t3aw` (3-Augment weighted, 14 operations). Weighted sets choose without replacement, so `n` is at most their
    /// size. (timm falls back to the default list for an unknown set name; here it is an error. timm ≥ 1.0 removed
    /// the old `w` key, which is an error in both.)
    /// - Parameters:
    ///   - config: The config string, e.g. `rand-m9-n2-mstd0.5`.
    ///   - hyperParameters: Fill, interpolation and translation constants (the noise and clip come from `config`).
    /// - Throws: `AugmentError` naming `randaugment` and the bad section.
    public init(config: String, hyperParameters: TimmHyperParameters = TimmHyperParameters()) throws(AugmentError) {
        let name = "randaugment"
        let parsed = TimmConfigString(config, allowTransformSets: true)
        guard parsed.name == "rand" else { throw TimmConfigString.error(name, "'\(config)' does not start with 'rand'") }
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
        var list = increasing ? TimmOperation.randAugmentIncreasing : TimmOperation.randAugment
        var weights: [Double]?
        if let set = parsed.transformSets.first {
            switch set {
            case "weights": (list, weights) = (TimmOperation.randAugmentWeighted.map(\.operation),
                                               TimmOperation.randAugmentWeighted.map(\.weight))
            case "3aw": (list, weights) = (TimmOperation.randAugment3aWeighted.map(\.operation),
                                           TimmOperation.randAugment3aWeighted.map(\.weight))
            case "3a": list = TimmOperation.randAugment3a
            default: throw TimmConfigString.error(name, "unknown transform set 't\(set)' (known: tweights, t3a, t3aw)")
            }
        }
        if weights != nil && layers > list.count {
            throw TimmConfigString.error(name, "section 'n\(layers)': a weighted set chooses without replacement, at most "
                                         + "\(list.count) operations")
        }
        self.init(operations: list.map { TimmAugmentOp($0, probability: probability, magnitude: magnitude, hyperParameters: hyper) },
                  layers: layers, choiceWeights: weights)
    }

    /// The registry name.
    public var operationName: String { "randaugment" }

    /// Draws the operations (uniform with replacement, or weighted without) and each one's parameters.
    /// - Parameters:
    ///   - sample: The sample (not read).
    ///   - rng: The sample's generator.
    /// - Returns: The draws, in application order.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> TimmPolicyDraw {
        guard let choiceWeights else {
            var draws: [TimmOpDraw] = []
            for _ in 0..<layers { draws.append(operations[rng.int(in: 0...(operations.count - 1))].draw(using: &rng)) }
            return TimmPolicyDraw(operations: draws)
        }
        // numpy's choice(replace=False, p): all positions are chosen first, then timm applies them in order.
        let chosen = Self.weightedWithoutReplacement(choiceWeights, count: layers, using: &rng)
        return TimmPolicyDraw(operations: chosen.map { operations[$0].draw(using: &rng) })
    }

    /// `count` distinct indices, each drawn in proportion to the weights of those not yet chosen (the distribution of
    /// numpy's `choice(n, count, replace=False, p=weights/sum)`).
    /// - Parameters:
    ///   - weights: Positive weights.
    ///   - count: How many (at most `weights.count`).
    ///   - rng: The generator.
    /// - Returns: The indices in the order drawn.
    static func weightedWithoutReplacement(_ weights: [Double], count: Int, using rng: inout SampleRNG) -> [Int] {
        var remaining = weights, chosen: [Int] = []
        for _ in 0..<min(count, weights.count) {
            let total = remaining.reduce(0, +)
            let target = rng.uniform() * total
            var cumulative = 0.0, pick = remaining.lastIndex(where: { $0 > 0 }) ?? 0
            for (index, weight) in remaining.enumerated() where weight > 0 {
                cumulative += weight
                if target < cumulative {
                    pick = index
                    break
                }
            }
            chosen.append(pick)
            remaining[pick] = 0
        }
        return chosen
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
