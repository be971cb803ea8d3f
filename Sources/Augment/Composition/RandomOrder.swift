/// Applies all its children in a random order (torchvision `RandomOrder`): a uniform permutation drawn by
/// Fisher–Yates from the last position down (`count − 1` integer draws).
public struct RandomOrder: RecordingAugmenter {
    /// The children.
    public let children: [any Augmenter]

    /// Creates the augmenter.
    /// - Parameter children: The children.
    public init(_ children: [any Augmenter]) { self.children = children }

    /// Creates the augmenter with the result-builder syntax.
    /// - Parameter build: The children.
    public init(@PipelineBuilder _ build: () -> [any Augmenter]) { self.init(build()) }

    /// Draws the order.
    /// - Parameter rng: The sample's generator.
    /// - Returns: A permutation of the children's indices.
    public func order(using rng: inout SampleRNG) -> [Int] {
        var order = Array(children.indices)
        var position = order.count - 1
        while position > 0 {
            order.swapAt(position, rng.int(in: 0...position))
            position -= 1
        }
        return order
    }

    /// Applies every child in a random order.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Throws: The first child's error.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        for index in order(using: &rng) { try children[index].augment(&sample, using: &rng) }
    }

    /// Applies and records (`{"op": "random_order", "parameters": {"order": [i, …]}, "children": [...]}`).
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Returns: The record.
    /// - Throws: The first child's error.
    public func record(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) -> ReplayRecord {
        let order = order(using: &rng)
        return ReplayRecord(operation: "random_order", parameters: .object(["order": .array(order.map(JSONValue.integer))]),
                            children: try Replay.recordChildren(children, indices: order, &sample, using: &rng))
    }

    /// Replays a record.
    /// - Parameters:
    ///   - record: A `random_order` record.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when the record does not fit, or a child's error.
    public func replay(_ record: ReplayRecord, on sample: inout Sample) throws(AugmentError) {
        guard record.operation == "random_order", let order = record.indexList("order") else {
            throw record.mismatch("random_order", sample: sample, "expected {\"order\": [index, …]}")
        }
        try Replay.replayChildren(children, indices: order, records: record.children, operation: "random_order", on: &sample)
    }
}
