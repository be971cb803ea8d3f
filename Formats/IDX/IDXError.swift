/// Why an IDX file could not be read, naming the file and the byte where it went wrong.
public struct IDXError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Equatable {
        /// The file could not be read.
        case io
        /// The gzip stream is damaged.
        case corruptGzip
        /// The magic number is not IDX's (two zero bytes, a type code, a dimension count).
        case badMagic
        /// An element type other than unsigned bytes.
        case unsupportedType
        /// Fewer (or more) bytes than the dimensions say.
        case sizeMismatch
        /// Dimensions whose product is zero-free but larger than the limit.
        case tooLarge
    }

    /// The kind.
    public let kind: Kind
    /// What went wrong.
    public let message: String
    /// The file.
    public var file: String

    /// Creates an error.
    /// - Parameters:
    ///   - kind: The kind.
    ///   - message: What went wrong.
    ///   - file: The file.
    public init(_ kind: Kind, _ message: String, file: String) {
        self.kind = kind
        self.message = message
        self.file = file
    }

    /// `"<file>: <message>"`.
    public var description: String { "\(file): \(message)" }
}
