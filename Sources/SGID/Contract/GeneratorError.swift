/// Why generation or captioning failed: which worker or item, and how.
public struct GeneratorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Equatable, Codable {
        /// The worker could not be started (missing program, Python, model).
        case startFailed
        /// The worker broke the protocol (bad frame, wrong version, unexpected message).
        case protocolViolation
        /// The worker exited or closed its output.
        case workerDied
        /// The worker did not answer in time (it was killed).
        case timeout
        /// The worker reported an error for a request or an item.
        case rejected
        /// A bad request (empty image, no seeds).
        case invalidArgument
        /// The generator was stopped (`terminate()`: the program is being terminated) before it answered.
        case stopped
    }

    /// The kind of failure.
    public let kind: Kind
    /// What went wrong.
    public let message: String
    /// The sample key, when one item failed.
    public var key: String?

    /// Creates an error.
    /// - Parameters:
    ///   - kind: The kind of failure.
    ///   - message: What went wrong.
    ///   - key: The sample key, if one item failed.
    public init(_ kind: Kind, _ message: String, key: String? = nil) {
        self.kind = kind
        self.message = message
        self.key = key
    }

    /// `"<kind>: <message>"`, with the key when known.
    public var description: String { (key.map { "(key \($0)) " } ?? "") + "\(kind.rawValue): \(message)" }
}
