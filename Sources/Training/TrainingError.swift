/// Why a classifier could not be built, loaded, saved or trained, with what and where.
public struct TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Equatable {
        /// The architecture cannot be built (a layer that does not fit its input).
        case invalidArchitecture
        /// A model folder is missing a file or holds one that is not what it should be.
        case invalidModel
        /// Inputs of the wrong size or targets that do not fit the classes.
        case invalidInput
        /// The schedule or optimiser settings are out of range.
        case invalidSettings
        /// BLAS could not be loaded.
        case blasUnavailable
        /// Writing a model failed.
        case writeFailed
    }

    /// The kind of failure.
    public let kind: Kind
    /// What went wrong, naming the file, layer or tensor.
    public let message: String

    /// Creates an error.
    /// - Parameters:
    ///   - kind: The kind.
    ///   - message: What and where.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message, prefixed by the kind.
    public var description: String { "\(kind.rawValue): \(message)" }
}
