import ImageCodec

/// timm's AugMix (`augment_and_mix_transform`): `width` chains of `depth` operations (1…3 at random when
/// `depth ≤ 0`) drawn uniformly with replacement from timm's 13 AugMix operations (always applied, magnitude
/// uniform in `0…m` unless `mstd` is given); the chains are mixed with Dirichlet(α) weights in single precision,
/// truncated to bytes, and blended with the original by a Beta(α, α) weight (Pillow `blend`).
/// With `blended`, each chain is instead blended into the running image with timm's derived weights.
public struct TimmAugMix: ReplayableAugmenter {
    /// The operations to choose from.
    public let operations: [TimmAugmentOp]
    /// The Dirichlet and Beta concentration α.
    public let alpha: Double
    /// The number of chains.
    public let width: Int
    /// The chain depth (≤ 0: uniform in 1…3 per chain).
    public let depth: Int
    /// timm's faster blended mode (`b1`).
    public let blended: Bool

    /// Creates the augmenter.
    /// - Parameters:
    ///   - magnitude: The severity `m` (default 3).
    ///   - width: The number of chains (default 3).
    ///   - depth: The chain depth (default −1: random 1…3).
    ///   - alpha: The concentration (default 1).
    ///   - blended: timm's blended mode (default false).
    ///   - hyperParameters: Noise (default uniform), fill, interpolation and translation (default 0.3, as timm's
    ///     `create_transform` sets for AugMix).
    public init(magnitude: Double = 3, width: Int = 3, depth: Int = -1, alpha: Double = 1, blended: Bool = false,
                hyperParameters: TimmHyperParameters = TimmHyperParameters(magnitudeStd: .infinity, translatePct: 0.3)) {
        operations = TimmOperation.augMix.map {
            TimmAugmentOp($0, probability: 1, magnitude: magnitude, hyperParameters: hyperParameters)
        }
        self.alpha = alpha
        self.width = max(1, width)
        self.depth = depth
        self.blended = blended
    }

    /// Creates the augmenter from a timm config string: `augmix` then `m` (severity, 3, in 0…100), `w` (width, 3, in
    /// 1…100), `d` (depth, −1 in −1…100; `d-1` is read as −1; −1 and 0 mean random), `a` (α, 1, with 0 < α ≤ 1000),
    /// `b` (blended, 0 or 1), `mstd` (noise in 0…1000; default uniform).
    /// - Parameters:
    ///   - config: E.g. `augmix-m3-w3-d-1`.
    ///   - hyperParameters: Fill, interpolation and translation (the noise comes from `config`).
    /// - Throws: `AugmentError` naming `augmix` and the bad section.
    public init(config: String, hyperParameters: TimmHyperParameters = TimmHyperParameters(translatePct: 0.3))
        throws(AugmentError) {
        let name = "augmix"
        let parsed = TimmConfigString(config)
        guard parsed.name == "augmix" else { throw TimmConfigString.error(name, "'\(config)' does not start with 'augmix'") }
        var hyper = hyperParameters
        hyper.magnitudeStd = .infinity
        var magnitude = 3.0, width = 3, depth = -1, alpha = 1.0, blended = false
        for (key, value) in parsed.sections {
            switch key {
            case "mstd": hyper.magnitudeStd = try TimmConfigString.double(name, key, value, in: TimmConfigString.deviationBounds)
            case "m": magnitude = Double(try TimmConfigString.int(name, key, value, in: TimmConfigString.magnitudeBounds))
            case "w": width = try TimmConfigString.int(name, key, value, in: 1...TimmConfigString.countBounds.upperBound)
            case "d": depth = try TimmConfigString.int(name, key, value, in: -1...TimmConfigString.countBounds.upperBound)
            case "a":
                alpha = try TimmConfigString.double(name, key, value, in: 0...1000)
                guard alpha > 0 else { throw TimmConfigString.error(name, "section 'a\(value)': expected 0 < a ≤ 1000") }
            case "b": blended = try TimmConfigString.int(name, key, value, in: 0...1) != 0
            default: throw TimmConfigString.error(name, "unknown section '\(key)\(value)'")
            }
        }
        self.init(magnitude: magnitude, width: width, depth: depth, alpha: alpha, blended: blended, hyperParameters: hyper)
    }

    /// The registry name.
    public var operationName: String { "augmix" }

    /// Draws the Dirichlet weights (normalised Gamma(α) draws, rounded to single precision), the Beta(α, α) blend
    /// weight, then each chain's depth, operations and their parameters.
    /// - Parameters:
    ///   - sample: The sample (not read).
    ///   - rng: The sample's generator.
    /// - Returns: The draws.
    public func draw(for sample: Sample, using rng: inout SampleRNG) -> AugMixDraw {
        let gammas = (0..<width).map { _ in rng.gamma(shape: alpha) }
        let total = gammas.reduce(0, +)
        let weights = gammas.map { Float(total > 0 ? $0 / total : 1 / Double(gammas.count)) }
        let mix = Float(rng.beta(alpha, alpha))
        var chains: [[TimmOpDraw]] = []
        for _ in 0..<width {
            let count = depth > 0 ? depth : rng.int(in: 1...3)
            var chain: [TimmOpDraw] = []
            for _ in 0..<count { chain.append(operations[rng.int(in: 0...(operations.count - 1))].draw(using: &rng)) }
            chains.append(chain)
        }
        return AugMixDraw(weights: weights, mix: mix, chains: chains)
    }

    /// Applies the draws.
    /// - Parameters:
    ///   - parameters: The draws.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when the image cannot be decoded or the draws do not fit.
    public func apply(_ parameters: AugMixDraw, to sample: inout Sample) throws(AugmentError) {
        guard parameters.weights.count == parameters.chains.count else {
            throw AugmentError(operation: operationName, key: sample.key, source: sample.source,
                               message: "\(parameters.weights.count) weights for \(parameters.chains.count) chains")
        }
        let fill = operations[0].hyperParameters.fill, blended = self.blended
        try sample.transformPixels { image in
            blended ? parameters.blendedMix(image, fill: fill) : parameters.basicMix(image, fill: fill)
        }
    }
}
