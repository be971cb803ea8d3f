/// Applies `n` of its children chosen at random, in their original order (albumentations `SomeOf`): without
/// replacement `n` distinct children chosen uniformly (partial Fisher–Yates, `n` integer draws); with replacement
/// `n` independent uniform choices (a child may run several times). Each chosen child runs as it is.
public struct SomeOf: RecordingAugmenter {
    /// The children.
    public let children: [any Augmenter]
    /// How many to apply.
    public let n: Int
    /// Whether a child may be chosen more than once.
    public let replace: Bool

    /// Creates the augmenter.
    /// - Parameters:
    ///   - n: How many children to apply (≤ the number of children without replacement).
    ///   - replace: Whether a child may be chosen more than once (default false).
    ///   - children: The children.
    /// - Precondition: `n ≥ 0`, and `n ≤ children.count` without replacement (children non-empty when `n > 0`).
    public init(n: Int, replace: Bool = false, _ children: [any Augmenter]) {
        precondition(n >= 0 && (replace ? (n == 0 || !children.isEmpty) : n <= children.count),
                     "SomeOf n=\(n) does not fit \(children.count) children")
        self.children = children
        self.n = n
        self.replace = replace
    }

    /// Creates the augmenter with the result-builder syntax.
    /// - Parameters:
    ///   - n: How many children to apply.
    ///   - replace: Whether a child may be chosen more than once.
    ///   - build: The children.
    public init(n: Int, replace: Bool = false, @PipelineBuilder _ build: () -> [any Augmenter]) {
        self.init(n: n, replace: replace, build())
    }

    /// Draws which children run.
    /// - Parameter rng: The sample's generator.
    /// - Returns: Their indices in ascending order.
    public func choose(using rng: inout SampleRNG) -> [Int] {
        guard n > 0 else { return [] }
        if replace { return (0..<n).map { _ in rng.int(in: 0...(children.count - 1)) }.sorted() }
        var pool = Array(children.indices)
        for slot in 0..<n { pool.swapAt(slot, rng.int(in: slot...(pool.count - 1))) }
        return pool[0..<n].sorted()
    }

    /// Applies the chosen children in order.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Throws: The first child's error.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        for index in choose(using: &rng) { try children[index].augment(&sample, using: &rng) }
    }

    /// Applies and records (`{"op": "some_of", "parameters": {"chosen": [i, …]}, "children": [...]}`).
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Returns: The record.
    /// - Throws: The first child's error.
    public func record(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) -> ReplayRecord {
        let chosen = choose(using: &rng)
        return ReplayRecord(operation: "some_of", parameters: .object(["chosen": .array(chosen.map(JSONValue.integer))]),
                            children: try Replay.recordChildren(children, indices: chosen, &sample, using: &rng))
    }

    /// Replays a record.
    /// - Parameters:
    ///   - record: A `some_of` record.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when the record does not fit, or a child's error.
    public func replay(_ record: ReplayRecord, on sample: inout Sample) throws(AugmentError) {
        guard record.operation == "some_of", let indices = record.indexList("chosen") else {
            throw record.mismatch("some_of", sample: sample, "expected {\"chosen\": [index, …]}")
        }
        try Replay.replayChildren(children, indices: indices, records: record.children, operation: "some_of", on: &sample)
    }
}

extension ReplayRecord {
    /// An integer list parameter (`{"chosen": [0, 2]}`).
    /// - Parameter name: The field.
    /// - Returns: The integers, or `nil` when absent or malformed.
    func indexList(_ name: String) -> [Int]? {
        guard case .object(let fields) = parameters, case .array(let items)? = fields[name] else { return nil }
        let indices = items.compactMap(\.integerValue)
        return indices.count == items.count ? indices : nil
    }
}
