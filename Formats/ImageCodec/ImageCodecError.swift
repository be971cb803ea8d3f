/// Why an image could not be decoded or encoded. Every case says what went wrong; `ImageCodecError.context`
/// (file name, member, sample key) is added by callers that know where the bytes came from.
public struct ImageCodecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, for programmatic handling.
    public enum Kind: Sendable, Equatable {
        /// The input holds no bytes.
        case empty
        /// The magic bytes match no supported format.
        case unknownFormat
        /// The data ends before the image does.
        case truncated
        /// The data is malformed (the codec library's message says how).
        case corrupt
        /// The image uses a feature this project does not decode.
        case unsupported
        /// The declared dimensions exceed the configured pixel limit (decompression-bomb guard).
        case tooLarge
        /// A request was invalid (bad region, bad scale, bad quality).
        case invalidArgument
        /// Encoding failed.
        case encodingFailed
    }

    /// The kind of failure.
    public let kind: Kind
    /// The format involved, when known.
    public let format: ImageFormat?
    /// A human-readable explanation, including the codec library's own message where there is one.
    public let message: String
    /// Where the bytes came from (file path, shard and member, sample key), filled in by callers; empty when unknown.
    public var context: String

    /// Creates an error.
    /// - Parameters:
    ///   - kind: The kind of failure.
    ///   - format: The format involved, if known.
    ///   - message: What went wrong.
    ///   - context: Where the bytes came from, if known.
    public init(_ kind: Kind, format: ImageFormat? = nil, _ message: String, context: String = "") {
        self.kind = kind
        self.format = format
        self.message = message
        self.context = context
    }

    /// Returns a copy with `context` set (or prefixed to an existing context).
    /// - Parameter where: A description of where the bytes came from, e.g. a file path.
    /// - Returns: The same error, located.
    public func located(_ where: String) -> ImageCodecError {
        var copy = self
        copy.context = context.isEmpty ? `where` : "\(`where`): \(context)"
        return copy
    }

    /// `"<context>: <format> <kind>: <message>"`.
    public var description: String {
        let prefix = context.isEmpty ? "" : "\(context): "
        let what = format.map { "\($0.rawValue) " } ?? ""
        return "\(prefix)\(what)\(kind): \(message)"
    }
}
