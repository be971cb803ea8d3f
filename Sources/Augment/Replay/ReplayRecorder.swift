import Synchronization

/// Wraps an augmenter (usually a whole `Pipeline`) and keeps, per sample key, the record of what it drew, so a
/// training run (any number of loader threads) can be inspected or replayed on other data afterwards.
/// The wrapped augmenter's pixels and draws are unchanged.
public final class ReplayRecorder: Augmenter {
    /// The wrapped augmenter.
    public let augmenter: any Augmenter
    private let storage = Mutex<[String: ReplayRecord]>([:])

    /// Creates a recorder.
    /// - Parameter augmenter: The augmenter to record.
    public init(_ augmenter: any Augmenter) { self.augmenter = augmenter }

    /// Runs the wrapped augmenter and stores its record under the sample's key (the latest record wins).
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Throws: What the wrapped augmenter throws.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        let key = sample.key
        let record = try Replay.record(augmenter, &sample, using: &rng)
        storage.withLock { $0[key] = record }
    }

    /// The records so far, by sample key.
    public var records: [String: ReplayRecord] { storage.withLock { $0 } }

    /// The record of one sample.
    /// - Parameter key: The sample's key.
    /// - Returns: Its latest record, or `nil`.
    public func record(for key: String) -> ReplayRecord? { storage.withLock { $0[key] } }

    /// Replays a sample's record on another sample through the wrapped augmenter.
    /// - Parameters:
    ///   - key: The recorded sample's key.
    ///   - sample: The sample to transform.
    /// - Throws: `AugmentError` when nothing was recorded for `key` or the replay fails.
    public func replay(recordOf key: String, on sample: inout Sample) throws(AugmentError) {
        guard let record = record(for: key) else {
            throw AugmentError(operation: "replay", key: sample.key, source: sample.source,
                               message: "no record for sample '\(key)'")
        }
        try Replay.replay(augmenter, record, on: &sample)
    }

    /// Forgets every record.
    public func removeAll() { storage.withLock { $0.removeAll() } }
}
