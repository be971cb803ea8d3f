/// An augmenter that can report what it drew and redo exactly that: the basis of `Replay`.
///
/// Composition operations conform directly (their record holds their choice and their children's records).
/// Leaf operations conform through `ReplayableAugmenter`, which only asks for a `draw` and an `apply`.
public protocol RecordingAugmenter: Augmenter {
    /// Augments the sample and reports what was drawn. Consumes `rng` exactly as `augment(_:using:)` does, so
    /// recording never changes the pixels a pipeline produces.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Returns: The record.
    /// - Throws: `AugmentError` as `augment(_:using:)` does.
    func record(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) -> ReplayRecord

    /// Applies a record made by an augmenter configured like this one, drawing nothing.
    /// - Parameters:
    ///   - record: The record.
    ///   - sample: The sample to transform (may differ from the recorded one).
    /// - Throws: `AugmentError` when the record does not fit this augmenter or the parameters do not fit the sample.
    func replay(_ record: ReplayRecord, on sample: inout Sample) throws(AugmentError)
}

/// A leaf augmenter split into drawing its parameters and applying them, so its parameters can be recorded
/// and replayed exactly on other data (`Replay`, `ReplayRecorder`, `sgid augment`).
///
/// Adopting it:
/// 1. Declare `Parameters`, a `Codable` value holding everything the operation drew (and anything derived from the
///    input that is needed to redo it, e.g. the crop region in pixels). Its JSON form is what records show, so
///    prefer short, descriptive field names.
/// 2. `draw(for:using:)` reads the sample (size, never pixels if avoidable) and draws from `rng` — **exactly** the
///    draws `augment(_:using:)` makes, in the same order.
/// 3. `apply(_:to:)` transforms the sample with those parameters and draws nothing.
/// 4. `operationName` returns the registry name.
///
/// `augment(_:using:)` gets a default implementation, `try apply(draw(for: sample, using: &rng), to: &sample)`;
/// an existing operation that keeps its own `augment` must consume `rng` identically.
public protocol ReplayableAugmenter: RecordingAugmenter {
    /// What the operation draws for one sample.
    associatedtype Parameters: Codable & Sendable

    /// The operation's name in records (the registry name for built-ins).
    var operationName: String { get }

    /// Draws the parameters for a sample.
    /// - Parameters:
    ///   - sample: The sample about to be transformed.
    ///   - rng: The sample's generator.
    /// - Returns: The parameters.
    /// - Throws: `AugmentError` when the sample cannot be read (for example its size).
    func draw(for sample: Sample, using rng: inout SampleRNG) throws(AugmentError) -> Parameters

    /// Transforms a sample with given parameters, drawing nothing.
    /// - Parameters:
    ///   - parameters: The parameters.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when the parameters do not fit the sample or decoding fails.
    func apply(_ parameters: Parameters, to sample: inout Sample) throws(AugmentError)
}

extension ReplayableAugmenter {
    /// Draws then applies.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Throws: What `draw` or `apply` throws.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        try apply(try draw(for: sample, using: &rng), to: &sample)
    }

    /// Draws, applies and records the parameters.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator.
    /// - Returns: `{"op": operationName, "parameters": …}`.
    /// - Throws: What `draw` or `apply` throws.
    public func record(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) -> ReplayRecord {
        let parameters = try draw(for: sample, using: &rng)
        try apply(parameters, to: &sample)
        return ReplayRecord(operation: operationName, parameters: try JSONValue.encoding(parameters))
    }

    /// Applies recorded parameters.
    /// - Parameters:
    ///   - record: A record of this operation.
    ///   - sample: The sample.
    /// - Throws: `AugmentError` when the record is of another operation or its parameters do not decode.
    public func replay(_ record: ReplayRecord, on sample: inout Sample) throws(AugmentError) {
        guard record.operation == operationName else {
            throw record.mismatch(operationName, sample: sample, "different operation")
        }
        let parameters: Parameters
        do {
            parameters = try record.parameters.decoded(as: Parameters.self)
        } catch {
            throw record.mismatch(operationName, sample: sample, "parameters \(record.parameters) do not fit")
        }
        try apply(parameters, to: &sample)
    }
}
