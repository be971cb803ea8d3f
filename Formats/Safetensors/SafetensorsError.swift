/// Why a safetensors file could not be read or written, naming the file and, where one is involved, the tensor.
public struct SafetensorsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Equatable {
        /// The file could not be read or written.
        case io
        /// The file is shorter than its 8-byte header length, or the header runs past the end of the file.
        case truncated
        /// The header length is above the 100 MB limit.
        case headerTooLarge
        /// The header is not a UTF-8 JSON object of tensor entries (or an entry lacks a field, or has one of the
        /// wrong type).
        case malformedHeader
        /// A tensor's dtype is not one this reader converts (F32, F16, BF16).
        case unsupportedDtype
        /// A tensor's byte range does not match its shape and dtype.
        case shapeMismatch
        /// A tensor's byte range lies outside the data section, overlaps another, or leaves a gap before it.
        case badOffsets
        /// A tensor that was asked for is not in the file.
        case missingTensor
        /// A tensor has another shape than the one asked for.
        case unexpectedShape
        /// A tensor to write is invalid (its values do not fill its shape, a duplicate name).
        case invalidArgument
    }

    /// The kind of failure.
    public let kind: Kind
    /// What went wrong.
    public let message: String
    /// The file.
    public var file: String
    /// The tensor, when one is involved.
    public var tensor: String?

    /// Creates an error.
    /// - Parameters:
    ///   - kind: The kind.
    ///   - message: What went wrong.
    ///   - file: The file.
    ///   - tensor: The tensor, if any.
    public init(_ kind: Kind, _ message: String, file: String, tensor: String? = nil) {
        self.kind = kind
        self.message = message
        self.file = file
        self.tensor = tensor
    }

    /// `"<file>: tensor '<name>': <message>"`.
    public var description: String {
        file + (tensor.map { ": tensor '\($0)'" } ?? "") + ": " + message
    }
}
