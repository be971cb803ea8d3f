/// Why a model folder could not be used or a generation could not run, naming the file, the key or tensor.
public struct DiffusionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Equatable {
        /// A file of the model folder is missing or unreadable.
        case missingFile
        /// A JSON file does not parse, or a key has a value of the wrong type.
        case badConfig
        /// A configuration value this runtime does not implement (rather than building a different model).
        case unsupported
        /// A weight is missing, or has another shape than the configuration implies.
        case badWeights
        /// A request that cannot run (a strength leaving no denoising step, an unknown label, a wrong image size).
        case invalidArgument
    }

    /// The kind.
    public let kind: Kind
    /// What went wrong.
    public let message: String
    /// The file involved (config, weights, scheduler, classes), if any.
    public var file: String?

    /// Creates an error.
    /// - Parameters:
    ///   - kind: The kind.
    ///   - message: What went wrong.
    ///   - file: The file involved.
    public init(_ kind: Kind, _ message: String, file: String? = nil) {
        self.kind = kind
        self.message = message
        self.file = file
    }

    /// `"<file>: <message>"`.
    public var description: String { (file.map { $0 + ": " } ?? "") + message }
}
