import ImageCodec

/// Why an augmentation failed: the kind, the operation, the sample key and where the sample came from.
public struct AugmentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure it was, so callers (the loader's epoch summary) can tell them apart.
    public enum Kind: Sendable, Equatable {
        /// The sample's image did not decode; the codec's own kind says how (truncated, corrupt, too large, …).
        case decode(ImageCodecError.Kind)
        /// An operation failed on this sample or was given parameters it cannot use.
        case augmentation
    }

    /// The kind of failure.
    public let kind: Kind
    /// The operation's registered name (`random_resized_crop`, `decode`, …).
    public let operation: String
    /// The sample's key.
    public let key: String
    /// Where the sample came from.
    public let source: SampleSource?
    /// What went wrong.
    public let message: String

    /// Creates an error.
    /// - Parameters:
    ///   - kind: The kind of failure (default `.augmentation`).
    ///   - operation: The operation's name.
    ///   - key: The sample's key.
    ///   - source: Where the sample came from.
    ///   - message: What went wrong.
    public init(_ kind: Kind = .augmentation, operation: String, key: String, source: SampleSource? = nil, message: String) {
        self.kind = kind
        self.operation = operation
        self.key = key
        self.source = source
        self.message = message
    }

    /// A decoding failure of a sample's image, keeping the codec's kind.
    /// - Parameters:
    ///   - error: The codec's error.
    ///   - key: The sample's key.
    ///   - source: Where the sample came from.
    /// - Returns: The error (operation `decode`).
    public static func decode(_ error: ImageCodecError, key: String, source: SampleSource?) -> AugmentError {
        AugmentError(.decode(error.kind), operation: "decode", key: key, source: source, message: error.description)
    }

    /// `"<source> (key <key>): <operation>: <message>"`.
    public var description: String {
        let location = source.map { "\($0) " } ?? ""
        return "\(location)(key \(key)): \(operation): \(message)"
    }
}
