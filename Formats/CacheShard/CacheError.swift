/// Why a cache operation failed, with where: the shard file and the byte offset of the record involved.
public struct CacheError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: Sendable, Equatable {
        /// An operating-system call failed (the message carries `strerror`).
        case io
        /// Bytes do not match the format (bad magic, checksum mismatch, impossible field).
        case corrupt
        /// The data ends inside a record or header.
        case truncated
        /// A declared size exceeds the format's limits; refused before allocating.
        case tooLarge
        /// Another writer holds the shard's lock.
        case locked
        /// The caller asked for something invalid (variant index out of range, bad record).
        case invalidArgument
        /// The file or record does not exist.
        case notFound
    }

    /// The kind of failure.
    public let kind: Kind
    /// What went wrong.
    public let message: String
    /// The file involved, if any.
    public let path: String
    /// The byte offset in that file, if meaningful.
    public let offset: UInt64?

    /// Creates an error.
    /// - Parameters:
    ///   - kind: The kind of failure.
    ///   - message: What went wrong.
    ///   - path: The file involved.
    ///   - offset: The byte offset, if meaningful.
    public init(_ kind: Kind, _ message: String, path: String = "", offset: UInt64? = nil) {
        self.kind = kind
        self.message = message
        self.path = path
        self.offset = offset
    }

    /// Returns a copy naming the file and offset where they were not known yet.
    /// - Parameters:
    ///   - path: The file.
    ///   - offset: The byte offset.
    /// - Returns: The located error.
    public func located(path: String, offset: UInt64? = nil) -> CacheError {
        CacheError(kind, message, path: self.path.isEmpty ? path : self.path, offset: self.offset ?? offset)
    }

    /// `"<path> at byte <offset>: <kind>: <message>"`.
    public var description: String {
        var prefix = path
        if let offset { prefix += prefix.isEmpty ? "byte \(offset)" : " at byte \(offset)" }
        return (prefix.isEmpty ? "" : prefix + ": ") + "\(kind): \(message)"
    }
}
