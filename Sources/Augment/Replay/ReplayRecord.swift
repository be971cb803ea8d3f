/// What one augmenter drew for one sample: its operation name, its parameters as JSON, and for composition
/// operations the records of the children it ran, in the order it ran them.
///
/// JSON form: `{"op": "random_resized_crop", "parameters": {"region": [x, y, w, h], "size": [w, h]}}`,
/// composites add `"children": [...]`, and an augmenter that cannot report its parameters is recorded as
/// `{"op": "<type name>", "replayable": false}`.
public struct ReplayRecord: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The operation's name (the registry name for built-ins).
    public var operation: String
    /// The drawn parameters (`.null` when none were reported).
    public var parameters: JSONValue
    /// The children's records, in the order they ran (composition operations only).
    public var children: [ReplayRecord]
    /// Whether the record can be replayed (`false` for augmenters without `ReplayableAugmenter` support).
    public var replayable: Bool

    /// Creates a record.
    /// - Parameters:
    ///   - operation: The operation's name.
    ///   - parameters: The drawn parameters.
    ///   - children: The children's records.
    ///   - replayable: Whether it can be replayed.
    public init(operation: String, parameters: JSONValue = .null, children: [ReplayRecord] = [], replayable: Bool = true) {
        self.operation = operation
        self.parameters = parameters
        self.children = children
        self.replayable = replayable
    }

    private enum CodingKeys: String, CodingKey {
        case operation = "op", parameters, children, replayable
    }

    /// Decodes a record; absent fields take their defaults.
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` for a malformed record.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        operation = try container.decode(String.self, forKey: .operation)
        parameters = try container.decodeIfPresent(JSONValue.self, forKey: .parameters) ?? .null
        children = try container.decodeIfPresent([ReplayRecord].self, forKey: .children) ?? []
        replayable = try container.decodeIfPresent(Bool.self, forKey: .replayable) ?? true
    }

    /// Encodes the record, leaving out empty children, null parameters and `replayable: true`.
    /// - Parameter encoder: The encoder.
    /// - Throws: What the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(operation, forKey: .operation)
        if parameters != .null { try container.encode(parameters, forKey: .parameters) }
        if !children.isEmpty { try container.encode(children, forKey: .children) }
        if !replayable { try container.encode(false, forKey: .replayable) }
    }

    /// Compact JSON with sorted keys.
    public var description: String { (try? JSONValue.encoding(self))?.description ?? "null" }

    /// The error for a record that does not belong to the augmenter replaying it.
    /// - Parameters:
    ///   - expected: The replaying augmenter's operation name.
    ///   - sample: The sample being replayed on.
    ///   - detail: What did not match.
    /// - Returns: An error naming the operation and the sample.
    public func mismatch(_ expected: String, sample: Sample, _ detail: String) -> AugmentError {
        AugmentError(operation: expected, key: sample.key, source: sample.source,
                     message: "cannot replay record of '\(operation)': \(detail)")
    }
}
