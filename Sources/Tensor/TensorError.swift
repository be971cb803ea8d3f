/// Why a tensor operation could not run: shapes that do not fit, or a missing math library.
public struct TensorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Equatable {
        /// Shapes or sizes that do not fit the operation.
        case shapeMismatch
        /// OpenBLAS could not be loaded.
        case blasUnavailable
    }

    /// The kind.
    public let kind: Kind
    /// What went wrong, naming the operation.
    public let message: String

    /// Creates an error.
    /// - Parameters:
    ///   - kind: The kind.
    ///   - message: What went wrong.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// `"<kind>: <message>"`.
    public var description: String { "\(kind.rawValue): \(message)" }
}
