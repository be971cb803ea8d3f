import Augment

/// Mixup and CutMix on a collated batch, with timm's semantics (`timm.data.Mixup`), producing soft targets.
///
/// - The partner of sample `i` is sample `count − 1 − i` (the flipped batch); partners are read as they were before
///   mixing.
/// - With probability `probability` a batch (or pair, or sample, per `mode`) is mixed: when both alphas are positive,
///   CutMix is chosen with probability `switchProbability`, else Mixup; λ ~ Beta(α, α) of the chosen method.
/// - Mixup: `image·λ + partner·(1 − λ)` (bytes rounded half to even).
/// - CutMix: a box (`CutMixBox`, from λ, or from `cutmixMinMax`) of the partner is pasted; with `correctLambda` (or
///   `cutmixMinMax`) λ becomes the unpasted share `1 − box area / image area`.
/// - Targets: `λ·onehot(y) + (1 − λ)·onehot(y_partner)`, one-hots label-smoothed (off `s/C`, on `1 − s + s/C`).
/// - The batch size must be even (timm asserts it; use `dropLast` in the loader).
///
/// CutMix alone is `Mixup.cutMix(alpha:)` (mixup α 0). A batch's generator is the caller's, e.g.
/// `SampleRNG(seed: seed, epoch: epoch, position: batch.index, stream: 7)`, so mixing is reproducible.
public struct Mixup: BatchAugmenter, Hashable {
    /// Mixup and CutMix produce a batch with soft targets.
    public typealias BatchType = MixedBatch

    /// Mixup's α (0 disables Mixup).
    public var mixupAlpha: Double
    /// CutMix's α (0 disables CutMix unless `cutmixMinMax` is set, which forces it to 1 as timm does).
    public var cutmixAlpha: Double
    /// The CutMix box side range as fractions of the image's sides (timm `cutmix_minmax`), or `nil`.
    public var cutmixMinMax: ClosedRange<Double>?
    /// The probability of mixing a batch, pair or sample (timm `prob`).
    public var probability: Double
    /// The probability of CutMix rather than Mixup when both are enabled (timm `switch_prob`).
    public var switchProbability: Double
    /// Per batch, pair or sample parameters.
    public var mode: MixMode
    /// Whether CutMix's λ is corrected to the pasted area (timm `correct_lam`).
    public var correctLambda: Bool
    /// Label smoothing of the one-hot targets.
    public var labelSmoothing: Double
    /// The number of classes.
    public var classes: Int

    /// Creates the augmenter with timm's defaults.
    /// - Parameters:
    ///   - mixupAlpha: Mixup's α (default 1).
    ///   - cutmixAlpha: CutMix's α (default 0).
    ///   - cutmixMinMax: CutMix box side range as fractions, or `nil`; setting it forces `cutmixAlpha` to 1.
    ///   - probability: The probability of mixing (default 1).
    ///   - switchProbability: The probability of CutMix when both are enabled (default 0.5).
    ///   - mode: `.batch` (default), `.pair` or `.elem`.
    ///   - correctLambda: Whether CutMix's λ is corrected to the pasted area (default true).
    ///   - labelSmoothing: Label smoothing (default 0.1).
    ///   - classes: The number of classes (default 1000).
    public init(mixupAlpha: Double = 1, cutmixAlpha: Double = 0, cutmixMinMax: ClosedRange<Double>? = nil,
                probability: Double = 1, switchProbability: Double = 0.5, mode: MixMode = .batch, correctLambda: Bool = true,
                labelSmoothing: Double = 0.1, classes: Int = 1000) {
        self.mixupAlpha = mixupAlpha
        self.cutmixAlpha = cutmixMinMax == nil ? cutmixAlpha : 1
        self.cutmixMinMax = cutmixMinMax
        self.probability = probability
        self.switchProbability = switchProbability
        self.mode = mode
        self.correctLambda = correctLambda
        self.labelSmoothing = labelSmoothing
        self.classes = classes
    }

    /// CutMix only.
    /// - Parameters:
    ///   - alpha: CutMix's α (default 1).
    ///   - minMax: Box side range as fractions, or `nil`.
    ///   - probability: The probability of mixing.
    ///   - mode: Batch, pair or elem.
    ///   - correctLambda: Whether λ is corrected to the pasted area.
    ///   - labelSmoothing: Label smoothing.
    ///   - classes: The number of classes.
    /// - Returns: The augmenter.
    public static func cutMix(alpha: Double = 1, minMax: ClosedRange<Double>? = nil, probability: Double = 1,
                              mode: MixMode = .batch, correctLambda: Bool = true, labelSmoothing: Double = 0.1,
                              classes: Int = 1000) -> Mixup {
        Mixup(mixupAlpha: 0, cutmixAlpha: alpha, cutmixMinMax: minMax, probability: probability, mode: mode,
              correctLambda: correctLambda, labelSmoothing: labelSmoothing, classes: classes)
    }

    /// Mixes a batch and returns it with soft targets.
    /// - Parameters:
    ///   - batch: The batch (its image memory is mixed in place; copies of the `Batch` value share it).
    ///   - rng: The batch's generator.
    /// - Returns: The mixed batch and its targets.
    /// - Throws: `AugmentError` for an odd batch size, a label outside the classes, or no method enabled.
    public func mix(_ batch: Batch, using rng: inout SampleRNG) throws(AugmentError) -> MixedBatch {
        var mixed = try MixedBatch(batch, classes: classes, labelSmoothing: labelSmoothing)
        try augment(&mixed, using: &rng)
        return mixed
    }

    /// Mixes the batch's images in place and replaces `mixes` and `targets`.
    /// - Parameters:
    ///   - mixed: The batch with targets.
    ///   - rng: The batch's generator.
    /// - Throws: `AugmentError` for an odd batch size, a label outside the classes, or no method enabled.
    public func augment(_ mixed: inout MixedBatch, using rng: inout SampleRNG) throws(AugmentError) {
        let batch = mixed.batch, count = batch.count
        func failure(_ message: String) -> AugmentError {
            AugmentError(operation: "mixup", key: "epoch \(batch.epoch) batch \(batch.index)", message: message)
        }
        guard count % 2 == 0 else { throw failure("batch size \(count) is odd; Mixup/CutMix need an even size (drop the last batch)") }
        guard mixupAlpha > 0 || cutmixAlpha > 0 else { throw failure("mixup_alpha and cutmix_alpha are both 0") }
        guard mixed.classes == classes else { throw failure("the batch has \(mixed.classes) classes, the augmenter \(classes)") }
        var mixes = (0..<count).map { SampleMix(lambda: 1, partner: count - 1 - $0) }
        var steps: [MixStep] = []
        func box(_ lambda: Double) -> (MixBox, Double) {
            CutMixBox.draw(width: batch.width, height: batch.height, lambda: lambda, minMax: cutmixMinMax,
                           correctLambda: correctLambda, using: &rng)
        }
        switch mode {
        case .batch:
            var (lambda, cutmix) = draw(using: &rng)
            guard lambda != 1 else { break }
            var pasted: MixBox?
            if cutmix { (pasted, lambda) = box(lambda) }
            for slot in 0..<count {
                mixes[slot] = SampleMix(lambda: lambda, partner: count - 1 - slot, box: pasted)
                steps.append(MixStep(slot: slot, partner: count - 1 - slot, lambda: lambda, box: pasted))
            }
        case .elem, .pair:
            let drawn = (0..<(mode == .elem ? count : count / 2)).map { _ in draw(using: &rng) }
            for (slot, parameters) in drawn.enumerated() where parameters.lambda != 1 {
                var (lambda, pasted): (Double, MixBox?) = (parameters.lambda, nil)
                if parameters.cutmix { (pasted, lambda) = box(lambda) }
                let partner = count - 1 - slot
                mixes[slot] = SampleMix(lambda: lambda, partner: partner, box: pasted)
                steps.append(MixStep(slot: slot, partner: partner, lambda: lambda, box: pasted))
                if mode == .pair {
                    mixes[partner] = SampleMix(lambda: lambda, partner: slot, box: pasted)
                    steps.append(MixStep(slot: partner, partner: slot, lambda: lambda, box: pasted))
                }
            }
        }
        batch.mix(steps)
        mixed.mixes = mixes
        try mixed.setTargets(labelSmoothing: labelSmoothing)
    }

    /// Draws one (λ, CutMix?) pair as timm's `_params_per_batch` does.
    /// - Parameter rng: The generator.
    /// - Returns: λ (1 when not mixing) and whether CutMix is used.
    func draw(using rng: inout SampleRNG) -> (lambda: Double, cutmix: Bool) {
        guard rng.uniform() < probability else { return (1, false) }
        if mixupAlpha > 0 && cutmixAlpha > 0 {
            let cutmix = rng.uniform() < switchProbability
            let alpha = cutmix ? cutmixAlpha : mixupAlpha
            return (rng.beta(alpha, alpha), cutmix)
        }
        if mixupAlpha > 0 { return (rng.beta(mixupAlpha, mixupAlpha), false) }
        return (rng.beta(cutmixAlpha, cutmixAlpha), true)
    }
}
