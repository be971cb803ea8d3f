/// Applies one child chosen at random with probability proportional to its weight (albumentations `OneOf` with the
/// weights given explicitly, torchvision `RandomChoice`). With probability `1 − p` nothing is applied.
///
/// Draws: `rng.chance(p)` (no draw when `p` is 0 or 1), then one uniform `u`; the chosen child is the first whose
/// cumulative weight exceeds `u · Σweights`. The chosen child then runs as it is (its own probability, if it has one,
/// still applies).
public struct OneOf: RecordingAugmenter {
    /// The children.
    public let children: [any Augmenter]
    /// Their relative weights (non-negative, positive sum).
    public let weights: [Double]
    /// The probability of applying one child at all.
    public let p: Double

    /// Creates the augmenter.
    /// - Parameters:
    ///   - children: The children (at least one).
    ///   - weights: One non-negative weight per child with a positive sum (default: equal).
    ///   - p: The probability of applying a child (default 1).
    /// - Precondition: The weights fit the children.
    public init(_ children: [any Augmenter], weights: [Double]? = nil, p: Double = 1) {
        let weights = weights ?? Array(repeating: 1, count: children.count)
        precondition(!children.isEmpty, "OneOf needs at least one child")
        precondition(weights.count == children.count && weights.allSatisfy { $0 >= 0 && $0.isFinite }
                     && weights.reduce(0, +) > 0, "OneOf weights \(weights) do not fit \(children.count) children")
        self.children = children
        self.weights = weights
        self.p = p
    }

    /// Creates the augmenter with the result-builder syntax.
    /// - Parameters:
    ///   - weights: One weight per child (default: equal).
    ///   - p: The probability of applying a child.
    ///   - build: The children.
    public init(weights: [Double]? = nil, p: Double = 1, @PipelineBuilder _ build: () -> [any Augmenter]) {
        self.init(build(), weights: weights, p: p)
    }

    /// Draws which child runs.
    /// - Parameter rng: The sample's generator.
    /// - Returns: The child's index, or `nil` when none runs.
    public func choose(using rng: inout SampleRNG) -> Int? {
        guard rng.chance(p) else { return nil }
        let target = rng.uniform() * weights.reduce(0, +)
        var cumulative = 0.0
        for (index, weight) in weights.enumerated() {
            cumulative += weight
            if target < cumulative && weight > 0 { return index }
        }
        return weights.lastIndex { $0 > 0 }
    }

    /// Applies one chosen child.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Throws: The child's error.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        guard let index = choose(using: &rng) else { return }
        try children[index].augment(&sample, using: &rng)
    }

    /// Applies and records (`{"op": "one_of", "parameters": {"chosen": i}, "children": [record]}`, `chosen` null when
    /// none ran).
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Returns: The record.
    /// - Throws: The child's error.
    public func record(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) -> ReplayRecord {
        let chosen = choose(using: &rng)
        let indices = chosen.map { [$0] } ?? []
        return ReplayRecord(operation: "one_of", parameters: .object(["chosen": chosen.map(JSONValue.integer) ?? .null]),
                            children: try Replay.recordChildren(children, indices: indices, &sample, using: &rng))
    }

    /// Replays a record.
    /// - Parameters:
    ///   - record: A `one_of` record.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when the record does not fit, or the child's error.
    public func replay(_ record: ReplayRecord, on sample: inout Sample) throws(AugmentError) {
        guard record.operation == "one_of", case .object(let fields) = record.parameters, let chosen = fields["chosen"] else {
            throw record.mismatch("one_of", sample: sample, "expected {\"chosen\": index|null}")
        }
        var indices: [Int] = []
        if let index = chosen.integerValue { indices = [index] }
        try Replay.replayChildren(children, indices: indices, records: record.children, operation: "one_of", on: &sample)
    }
}
