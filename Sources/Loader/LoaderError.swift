import Augment

/// Why loading failed, naming what and where: the shard or file, the tar member, its byte offset, the sample key.
public struct LoaderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Equatable, Codable {
        /// The dataset's layout breaks the peer's rules (no classes, empty class, duplicate extension, fewer shards
        /// than ranks, …).
        case invalidDataset
        /// Reading failed (missing file, I/O error, failed `pipe:` command, refused `pipe:` in secure mode).
        case io
        /// A tar archive or compressed stream is damaged or truncated.
        case corruptArchive
        /// A sample is malformed as a whole (a duplicate extension) or a caption, JSON or `.gz` part does not parse.
        case invalidSample
        /// A sample has no image part (webdataset yields such samples, e.g. a `__meta__.json` or text-only member;
        /// the loader skips and counts them unless images are required).
        case noImage
        /// A sample's label is missing where one is required, does not parse, or names a class not in the list.
        case invalidLabel
        /// An image failed to decode.
        case decode
        /// An augmentation failed.
        case augmentation
        /// Samples of one batch have different sizes (no crop/resize in the pipeline).
        case shapeMismatch
        /// A bad request (batch size 0, rank outside the world, resume state of another run).
        case invalidArgument

        /// Whether reading goes on with the shard's next sample after this error (it concerns one sample only).
        public var concernsOneSample: Bool { self == .invalidSample || self == .noImage || self == .invalidLabel }

        /// The word the loader's summary counts this kind under (`decode`, `label`, `tar`, `no image`, …).
        public var summaryName: String {
            switch self {
            case .invalidDataset: "dataset"
            case .io: "io"
            case .corruptArchive: "tar"
            case .invalidSample: "sample"
            case .noImage: "no image"
            case .invalidLabel: "label"
            case .decode: "decode"
            case .augmentation: "augmentation"
            case .shapeMismatch: "shape"
            case .invalidArgument: "argument"
            }
        }
    }

    /// The kind of failure.
    public let kind: Kind
    /// What went wrong.
    public let message: String
    /// The shard URL or file involved.
    public var location: String
    /// The tar member, if any.
    public var member: String?
    /// The byte offset in the shard stream, if known.
    public var offset: UInt64?
    /// The sample key, if known: for a damaged or truncated archive, the key of the sample the damage cost.
    public var key: String?
    /// For a damaged archive header read with resynchronisation (skip/warn policies): how many bytes, from the
    /// damaged header on, the reader skipped to reach the next valid header or the end of the shard.
    public var skippedBytes: UInt64?
    /// For a damaged archive header read with resynchronisation: the offset of the valid header reading went on
    /// from, or nil (with `skippedBytes` set) when none followed.
    public var resumeOffset: UInt64?

    /// Creates an error.
    /// - Parameters:
    ///   - kind: The kind of failure.
    ///   - message: What went wrong.
    ///   - location: Shard URL or file path.
    ///   - member: Tar member.
    ///   - offset: Byte offset.
    ///   - key: Sample key.
    public init(_ kind: Kind, _ message: String, location: String = "", member: String? = nil, offset: UInt64? = nil,
                key: String? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.member = member
        self.offset = offset
        self.key = key
    }

    /// An augmentation or decode failure of a sample (kind `.decode` when the image did not decode).
    /// - Parameter error: The augmenter's error.
    /// - Returns: The loader error.
    public static func augmentation(_ error: AugmentError) -> LoaderError {
        let kind: Kind = if case .decode = error.kind { .decode } else { .augmentation }
        return LoaderError(kind, "\(error.operation): \(error.message)", location: error.source?.url ?? "",
                           member: error.source?.path, key: error.key)
    }

    /// `"<location>: member '<m>' at byte <o> (key <k>): <message>"`, then what a resynchronising reader skipped
    /// (`; skipped 1536 bytes to the next valid header at byte 4096`).
    public var description: String {
        var parts: [String] = []
        if !location.isEmpty { parts.append(location) }
        if let member { parts.append("member '\(member)'") }
        if let offset { parts.append("at byte \(offset)") }
        if let key { parts.append("(key \(key))") }
        let prefix = parts.joined(separator: " ")
        var skipped = ""
        if let skippedBytes {
            skipped = "; skipped \(skippedBytes) bytes to "
                + (resumeOffset.map { "the next valid header at byte \($0)" } ?? "the end of the shard (no valid header follows)")
        }
        return (prefix.isEmpty ? "" : prefix + ": ") + message + skipped
    }
}
