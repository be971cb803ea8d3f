/// Records and replays any augmenter: the entry points that dispatch to `RecordingAugmenter` and fall back
/// gracefully for augmenters without replay support.
public enum Replay {
    /// Augments a sample and records what was drawn. An augmenter without replay support still runs; it is
    /// recorded by type name as not replayable.
    /// - Parameters:
    ///   - augmenter: Any augmenter.
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Returns: The record.
    /// - Throws: What the augmenter throws.
    public static func record(_ augmenter: any Augmenter, _ sample: inout Sample,
                              using rng: inout SampleRNG) throws(AugmentError) -> ReplayRecord {
        if let recording = augmenter as? any RecordingAugmenter {
            return try recording.record(&sample, using: &rng)
        }
        try augmenter.augment(&sample, using: &rng)
        return ReplayRecord(operation: String(describing: type(of: augmenter)), replayable: false)
    }

    /// Replays a record on a sample, drawing nothing.
    /// - Parameters:
    ///   - augmenter: The augmenter (configured as the one that made the record).
    ///   - record: The record.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when the augmenter has no replay support, the record does not fit, or the operation
    ///   fails on the sample.
    public static func replay(_ augmenter: any Augmenter, _ record: ReplayRecord,
                              on sample: inout Sample) throws(AugmentError) {
        guard let recording = augmenter as? any RecordingAugmenter, record.replayable else {
            throw AugmentError(operation: String(describing: type(of: augmenter)), key: sample.key, source: sample.source,
                               message: "this augmenter cannot be replayed (it does not adopt ReplayableAugmenter)")
        }
        try recording.replay(record, on: &sample)
    }

    /// Replays children records on the children a composite ran, matched by index.
    /// - Parameters:
    ///   - children: The composite's children.
    ///   - indices: Which child made each record, in order.
    ///   - records: The records.
    ///   - operation: The composite's name (for errors).
    ///   - sample: The sample.
    /// - Throws: `AugmentError` for a count or index mismatch, or what a child throws.
    static func replayChildren(_ children: [any Augmenter], indices: [Int], records: [ReplayRecord],
                               operation: String, on sample: inout Sample) throws(AugmentError) {
        guard indices.count == records.count, indices.allSatisfy(children.indices.contains) else {
            throw AugmentError(operation: operation, key: sample.key, source: sample.source,
                               message: "cannot replay: record lists \(records.count) children for indices \(indices) "
                                   + "of \(children.count) children")
        }
        for (index, record) in zip(indices, records) { try replay(children[index], record, on: &sample) }
    }

    /// Records the children a composite runs, in order.
    /// - Parameters:
    ///   - children: The composite's children.
    ///   - indices: Which children run, in order.
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Returns: Their records.
    /// - Throws: What a child throws.
    static func recordChildren(_ children: [any Augmenter], indices: [Int], _ sample: inout Sample,
                               using rng: inout SampleRNG) throws(AugmentError) -> [ReplayRecord] {
        var records: [ReplayRecord] = []
        for index in indices { records.append(try record(children[index], &sample, using: &rng)) }
        return records
    }
}
