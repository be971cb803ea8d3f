extension Pipeline: RecordingAugmenter {
    /// Runs every stage in order, recording each (`{"op": "sequence", "children": [...]}`).
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Returns: The record.
    /// - Throws: The first stage's error.
    public func record(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) -> ReplayRecord {
        ReplayRecord(operation: "sequence",
                     children: try Replay.recordChildren(stages, indices: Array(stages.indices), &sample, using: &rng))
    }

    /// Replays every stage's record in order.
    /// - Parameters:
    ///   - record: A `sequence` record with one child per stage.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when the record does not fit, or a stage's error.
    public func replay(_ record: ReplayRecord, on sample: inout Sample) throws(AugmentError) {
        guard record.operation == "sequence" else { throw record.mismatch("sequence", sample: sample, "different operation") }
        try Replay.replayChildren(stages, indices: Array(stages.indices), records: record.children,
                                  operation: "sequence", on: &sample)
    }
}
