/// Applies its children in order with probability `p`, all or none (torchvision `RandomApply`, albumentations
/// `Sequential(p)`): `p ≤ 0` never applies, `p ≥ 1` always applies without a draw, otherwise one uniform draw
/// decides.
public struct RandomApply: RecordingAugmenter {
    /// The probability of applying the children.
    public let p: Double
    /// The children, applied in order.
    public let children: [any Augmenter]

    /// Creates the augmenter.
    /// - Parameters:
    ///   - p: The probability of applying the children.
    ///   - children: The children, in order.
    public init(p: Double, _ children: [any Augmenter]) {
        self.p = p
        self.children = children
    }

    /// Creates the augmenter with the result-builder syntax.
    /// - Parameters:
    ///   - p: The probability of applying the children.
    ///   - build: The children.
    public init(p: Double, @PipelineBuilder _ build: () -> [any Augmenter]) { self.init(p: p, build()) }

    /// Applies the children with probability `p`.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Throws: The first child's error.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        guard rng.chance(p) else { return }
        for child in children { try child.augment(&sample, using: &rng) }
    }

    /// Applies and records (`{"op": "random_apply", "parameters": {"applied": true}, "children": [...]}`).
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Returns: The record.
    /// - Throws: The first child's error.
    public func record(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) -> ReplayRecord {
        let applied = rng.chance(p)
        let records = applied ? try Replay.recordChildren(children, indices: Array(children.indices), &sample, using: &rng) : []
        return ReplayRecord(operation: "random_apply", parameters: .object(["applied": .bool(applied)]), children: records)
    }

    /// Replays a record.
    /// - Parameters:
    ///   - record: A `random_apply` record.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when the record does not fit, or a child's error.
    public func replay(_ record: ReplayRecord, on sample: inout Sample) throws(AugmentError) {
        guard record.operation == "random_apply", case .object(let fields) = record.parameters,
              case .bool(let applied)? = fields["applied"] else {
            throw record.mismatch("random_apply", sample: sample, "expected {\"applied\": true|false}")
        }
        try Replay.replayChildren(children, indices: applied ? Array(children.indices) : [], records: record.children,
                                  operation: "random_apply", on: &sample)
    }
}
