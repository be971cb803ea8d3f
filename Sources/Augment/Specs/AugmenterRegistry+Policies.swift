extension AugmenterRegistry {
    /// Registers the augmentation policies. Fills are `;`-separated (`fill=124;116;104`).
    /// - `randaugment(config=rand-m9-n2-mstd0.5, interpolation=random, fill=124;116;104)`: timm's RandAugment;
    ///   `interpolation` is `random` (bilinear or bicubic per operation, timm's default) or a fixed filter. Config
    ///   sections: `m` and `mmax` in 0…100, `n` in 0…100, `mstd` in 0…1000, `p` in 0…1, `inc` 0 or 1, and a transform
    ///   set `tweights`, `t3a` or `t3aw` (weighted sets: `n` at most their size).
    /// - `tv_randaugment(num_ops=2, magnitude=9, bins=31, interpolation=nearest, fill=0)`: torchvision's RandAugment;
    ///   `num_ops` in 0…100, `bins` in 2…1000, `magnitude` in 0…bins−1.
    /// - `trivialaugment(bins=31, interpolation=nearest, fill=0)`: torchvision's TrivialAugmentWide; `bins` in 2…1000.
    /// - `autoaugment(policy=imagenet | cifar10 | svhn | v0 | v0r | original | originalr | 3a, config=v0-mstd0.5,
    ///   interpolation, fill)`: `imagenet`, `cifar10` and `svhn` are torchvision's (nearest, fill 0 by default), the
    ///   others timm's (random filter, ImageNet-mean fill); `config` takes a timm AutoAugment string instead of `policy`.
    /// - `augmix(config=augmix-m3-w3-d-1, interpolation=random, fill=124;116;104)`: timm's AugMix; config sections
    ///   `m` in 0…100, `w` in 1…100, `d` in −1…100, `a` with 0 < a ≤ 1000, `b` 0 or 1, `mstd` in 0…1000.
    func registerPolicies() {
        register("randaugment", parameters: ["config", "interpolation", "fill"]) { (parameters) throws(AugmentError) in
            try TimmRandAugment(config: parameters.values["config"] ?? "rand-m9-n2-mstd0.5",
                            hyperParameters: try parameters.timmHyperParameters())
        }
        register("tv_randaugment", parameters: ["num_ops", "magnitude", "bins", "interpolation", "fill"]) {
            (parameters) throws(AugmentError) in
            let bins = try parameters.int("bins", default: 31, in: Self.magnitudeBins)
            let magnitude = try parameters.int("magnitude", default: 9, in: 0...(bins - 1))
            return try TorchvisionRandAugment(numOps: try parameters.int("num_ops", default: 2, in: Self.operationsPerImage),
                                              magnitude: magnitude, bins: bins,
                                              interpolation: try parameters.policyInterpolation(default: .nearest) ?? .nearest,
                                              fill: try parameters.policyFill(default: [0]))
        }
        register("trivialaugment", parameters: ["bins", "interpolation", "fill"]) { (parameters) throws(AugmentError) in
            try TrivialAugmentWide(bins: try parameters.int("bins", default: 31, in: Self.magnitudeBins),
                                   interpolation: try parameters.policyInterpolation(default: .nearest) ?? .nearest,
                                   fill: try parameters.policyFill(default: [0]))
        }
        register("autoaugment", parameters: ["policy", "config", "interpolation", "fill"]) { (parameters) throws(AugmentError) in
            if let config = parameters.values["config"] {
                guard parameters.values["policy"] == nil else { throw parameters.invalid("policy", "either policy or config") }
                return try TimmAutoAugment(config: config, hyperParameters: try parameters.timmHyperParameters())
            }
            let policy = parameters.values["policy"] ?? "imagenet"
            if let torchvision = TorchvisionAutoAugmentPolicy(rawValue: policy) {
                return TorchvisionAutoAugment(policy: torchvision,
                                              interpolation: try parameters.policyInterpolation(default: .nearest) ?? .nearest,
                                              fill: try parameters.policyFill(default: [0]))
            }
            guard let timm = TimmAutoAugmentPolicy(rawValue: policy) else {
                throw parameters.invalid("policy", "one of imagenet, cifar10, svhn, v0, v0r, original, originalr, 3a")
            }
            return TimmAutoAugment(policy: timm, hyperParameters: try parameters.timmHyperParameters())
        }
        register("augmix", parameters: ["config", "interpolation", "fill"]) { (parameters) throws(AugmentError) in
            var hyper = try parameters.timmHyperParameters()
            hyper.translatePct = 0.3
            return try TimmAugMix(config: parameters.values["config"] ?? "augmix-m3-w3-d-1", hyperParameters: hyper)
        }
    }
}

extension AugmenterRegistry {
    /// torchvision's number of magnitude bins (`num_magnitude_bins`, default 31): each policy tabulates its
    /// magnitudes over the bins.
    static let magnitudeBins = 2...1000
    /// torchvision RandAugment's `num_ops` (each runs an operation on the image).
    static let operationsPerImage = 0...100
}

extension AugmenterParameters {
    /// A policy's filter: `random` (or absent with a `nil` default) gives `nil`, timm's random bilinear/bicubic.
    fileprivate func policyInterpolation(default fallback: AffineInterpolation?) throws(AugmentError) -> AffineInterpolation? {
        guard let text = values["interpolation"] else { return fallback }
        if text.lowercased() == "random" && fallback == nil { return nil }
        guard let filter = AffineInterpolation.named(text) else {
            throw invalid("interpolation", fallback == nil ? "random, nearest, bilinear or bicubic" : "nearest, bilinear or bicubic")
        }
        return filter
    }

    /// A fill colour: one value or one per channel, `;`-separated, each 0…255.
    fileprivate func policyFill(default fallback: [UInt8]) throws(AugmentError) -> [UInt8] {
        guard let text = values["fill"] else { return fallback }
        let parts = text.split(separator: ";", omittingEmptySubsequences: false).map { UInt8($0) }
        guard !parts.isEmpty, parts.count <= 4, parts.allSatisfy({ $0 != nil }) else {
            throw invalid("fill", "1 to 4 values 0…255 separated by ';'")
        }
        return parts.compactMap { $0 }
    }

    /// timm's hyper-parameters from `interpolation` (default random) and `fill` (default the ImageNet mean).
    fileprivate func timmHyperParameters() throws(AugmentError) -> TimmHyperParameters {
        TimmHyperParameters(fill: try policyFill(default: [124, 116, 104]), interpolation: try policyInterpolation(default: nil))
    }
}
