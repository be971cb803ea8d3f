/// Why an augmentation failed: the operation, the sample key and where the sample came from.
public struct AugmentError: Error, Sendable, Equatable, CustomStringConvertible {
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
    ///   - operation: The operation's name.
    ///   - key: The sample's key.
    ///   - source: Where the sample came from.
    ///   - message: What went wrong.
    public init(operation: String, key: String, source: SampleSource? = nil, message: String) {
        self.operation = operation
        self.key = key
        self.source = source
        self.message = message
    }

    /// `"<source> (key <key>): <operation>: <message>"`.
    public var description: String {
        let location = source.map { "\($0) " } ?? ""
        return "\(location)(key \(key)): \(operation): \(message)"
    }
}
