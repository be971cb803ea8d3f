/// Why a tar archive could not be read or written: what went wrong, in which archive, which member, and where.
///
/// `description` reads like `shard.tar: member 'a/b.jpg' at byte 1536: truncated data (expected 2048 bytes, got 100)`.
public struct TarError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, for programmatic handling.
    public enum Kind: Sendable, Equatable {
        /// The input holds no bytes at all.
        case emptyArchive
        /// The stream ends inside a header block.
        case truncatedHeader
        /// The stream ends inside a member's data or its padding.
        case truncatedData
        /// A metadata header (GNU long name, PAX) is not followed by the member it describes.
        case missingMemberHeader
        /// A header block's checksum does not match its contents (not a tar archive, or corrupt).
        case badChecksum
        /// A numeric header field (size, mode, mtime, …) is malformed or out of range.
        case badNumericField
        /// A PAX extended header record is malformed.
        case badPAXRecord
        /// A member or metadata record is larger than the configured limit.
        case memberTooLarge
        /// A gzip or zstd stream is corrupt or truncated.
        case decompression
        /// A command feeding the archive exited with a failure status.
        case commandFailed
        /// An operating-system call failed (open, read, write).
        case io
        /// A member cannot be written as requested (empty name, NUL byte, writer already finished, …).
        case invalidMember
    }

    /// The kind of failure.
    public var kind: Kind
    /// What went wrong, e.g. `truncated data (expected 2048 bytes, got 100)`.
    public var message: String
    /// The archive's name (path or command), when known.
    public var archive: String?
    /// The member's name (after long-name resolution), when known. For a damaged header it is the name read from
    /// the damaged block when that reads as text (it may itself be damaged).
    public var memberName: String?
    /// The byte offset in the uncompressed archive stream of the header or data involved, when known.
    public var offset: Int64?
    /// Set when the reader resynchronised after this error (`TarReaderOptions.resynchronizes`): how many bytes,
    /// from the damaged header on, it skipped to reach the next valid header or the end of the stream.
    public var skippedBytes: Int64?
    /// Set when the reader resynchronised and found a valid header: its offset, where reading goes on. Nil with
    /// `skippedBytes` set means no valid header followed the damage: the archive ends there.
    public var resumeOffset: Int64?

    /// Creates an error.
    /// - Parameters:
    ///   - kind: The kind of failure.
    ///   - message: What went wrong.
    ///   - archive: The archive's name, if known.
    ///   - memberName: The member's name, if known.
    ///   - offset: The byte offset in the archive stream, if known.
    public init(_ kind: Kind, _ message: String, archive: String? = nil, memberName: String? = nil, offset: Int64? = nil) {
        self.kind = kind
        self.message = message
        self.archive = archive
        self.memberName = memberName
        self.offset = offset
    }

    /// Returns a copy with the archive, member and offset filled in where they are still unknown.
    /// - Parameters:
    ///   - archive: The archive's name.
    ///   - memberName: The member's name.
    ///   - offset: The byte offset in the archive stream.
    /// - Returns: The located error; fields already set are kept.
    public func located(archive: String?, memberName: String? = nil, offset: Int64? = nil) -> TarError {
        var copy = self
        if copy.archive == nil { copy.archive = archive }
        if copy.memberName == nil { copy.memberName = memberName }
        if copy.offset == nil { copy.offset = offset }
        return copy
    }

    /// `"<archive>: member '<name>' at byte <offset>: <message>"`, leaving out the parts that are unknown, followed
    /// by what a resynchronising reader skipped (`; skipped 1536 bytes to the next valid header at byte 4096`).
    public var description: String {
        var location: [String] = []
        if let memberName { location.append("member '\(memberName)'") }
        if let offset { location.append("at byte \(offset)") }
        var text = ""
        if let archive { text += "\(archive): " }
        if !location.isEmpty { text += location.joined(separator: " ") + ": " }
        return text + message + Self.resynchronization(skippedBytes: skippedBytes, resumeOffset: resumeOffset)
    }

    /// The words describing a resynchronisation, empty when there was none.
    /// - Parameters:
    ///   - skippedBytes: The bytes skipped, nil when the reader did not resynchronise.
    ///   - resumeOffset: Where reading went on, nil at the end of the stream.
    /// - Returns: `"; skipped N bytes to the next valid header at byte R"`, `"; skipped N bytes to the end of the
    ///   archive (no valid header follows)"`, or `""`.
    private static func resynchronization(skippedBytes: Int64?, resumeOffset: Int64?) -> String {
        guard let skippedBytes else { return "" }
        guard let resumeOffset else { return "; skipped \(skippedBytes) bytes to the end of the archive (no valid header follows)" }
        return "; skipped \(skippedBytes) bytes to the next valid header at byte \(resumeOffset)"
    }
}
