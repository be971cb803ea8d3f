import Augment
import Tar

/// Reads the samples of one WebDataset shard, grouping tar members as webdataset 1.0.2 does
/// (`tar_file_iterator` + `group_by_keys`):
///
/// - only regular members count; a member whose name is `__…__` at top level, or whose first path component is
///   `__…__` followed by `/`, is metadata and skipped;
/// - a name splits into key and extension at the first dot of its base name (directories stay in the key:
///   `dir.x/a.b.jpg` → key `dir.x/a`, extension `b.jpg`); a base name without a dot is skipped; the extension is
///   lowercased, the key keeps its case;
/// - consecutive members with the same key form one sample; the end of the shard ends a sample;
/// - the same extension twice in one sample is an `.invalidSample` error (the sample is dropped and reading goes on
///   with the next key); a sample holding a non-empty `__bad__` part is dropped silently, as the peer does.
///
/// Damage (see `WebDatasetShardReader+Damage.swift`): when the archive fails (truncated or damaged archive or stream,
/// failed `pipe:` command), the sample being grouped is still returned first unless the failing member belongs to it,
/// and the error (`.corruptArchive` or `.io`) names the key of the sample the damage cost. Then the reader ends, or,
/// opened with `tarOptions.resynchronizes` (the loader's skip and warn policies), it goes on from the next valid tar
/// header after a damaged one, as GNU tar does: one flipped byte costs one sample, not the rest of the shard.
public struct WebDatasetShardReader: ShardSampleReader {
    /// The shard URL as given (`__url__`).
    public let url: String
    private let tar: TarReader
    private let decoder: WebDatasetSampleDecoder
    /// A member read ahead: the first of the next sample.
    private var pending: (key: String, part: WebDatasetPart)?
    /// The key of a sample dropped for a duplicate extension or lost to damage; its remaining members are skipped.
    var skippedKey: String?
    /// Whether the shard has ended (nothing more is read from the archive).
    var finished = false
    /// The archive's error, thrown on the call after the one that returned the complete sample before it.
    var deferredError: LoaderError?

    /// Opens a shard: a local path (`.tar`, `.tar.gz`, `.tar.zst`, compression detected from the first bytes), a
    /// `file:` URL, or `pipe:CMD` (the command's standard output, run by `/bin/sh -c`).
    /// - Parameters:
    ///   - url: The shard URL.
    ///   - options: How samples are decoded; `secureMode` refuses `pipe:`.
    /// - Throws: `LoaderError` of kind `.io` when the file cannot be opened, the command cannot start, the URL scheme
    ///   is not supported, or `pipe:` is refused in secure mode; `.corruptArchive` when the stream's start is damaged.
    public init(url: String, options: WebDatasetOptions = WebDatasetOptions()) throws(LoaderError) {
        self.url = url
        decoder = WebDatasetSampleDecoder(options: options, url: url)
        let tarOptions = Self.tarOptions(options)
        do {
            if url.hasPrefix("pipe:") {
                guard !options.secureMode else { throw ShardPattern.refusedPipe(url) }
                tar = try TarReader(command: String(url.dropFirst(5)), options: tarOptions)
            } else {
                tar = try TarReader(path: try Self.localPath(url), options: tarOptions)
            }
        } catch let error as LoaderError {
            throw error
        } catch let error as TarError {
            throw Self.loaderError(error, url: url, key: error.memberName.flatMap { WebDatasetMemberName.split($0)?.key })
        } catch {
            throw LoaderError(.io, "\(error)", location: url)
        }
    }

    /// A reader over a tar stream already open (tests read archives from memory this way).
    /// - Parameters:
    ///   - url: The shard URL used in samples and errors.
    ///   - tar: The tar reader, opened with `tarOptions(options)`.
    ///   - options: How samples are decoded.
    init(url: String, tar: TarReader, options: WebDatasetOptions) {
        self.url = url
        self.tar = tar
        decoder = WebDatasetSampleDecoder(options: options, url: url)
    }

    /// The tar reader's settings for a shard: member data loaded, only regular members, the stream drained after
    /// the end so a `pipe:` command's status is checked; limits and resynchronisation as the options say.
    /// - Parameter options: The dataset's options.
    /// - Returns: The tar options.
    static func tarOptions(_ options: WebDatasetOptions) -> TarReaderOptions {
        var tarOptions = options.tarOptions
        tarOptions.loadsData = true
        tarOptions.includesNonRegularMembers = false
        tarOptions.drainsAfterEnd = true
        return tarOptions
    }

    /// The local path of a URL: itself, or the path of a `file:` URL; other schemes are refused.
    private static func localPath(_ url: String) throws(LoaderError) -> String {
        if url.hasPrefix("file://") {
            let rest = String(url.dropFirst(7))
            return rest.removingPercentEncodingIfValid
        }
        if url.hasPrefix("file:") { return String(url.dropFirst(5)).removingPercentEncodingIfValid }
        if let schemeEnd = url.firstRange(of: "://") {
            let scheme = url[..<schemeEnd.lowerBound]
            let isScheme = scheme.first?.isLetter == true
                && scheme.allSatisfy { $0.isLetter || $0.isNumber || "+.-".contains($0) }
            if isScheme {
                throw LoaderError(.io, "URL scheme '\(scheme)' is not supported; read it through a command, e.g. "
                                  + "'pipe:curl -s -L \(url)'", location: url)
            }
        }
        return url
    }

    /// The next sample of the shard.
    /// - Returns: The sample (image still encoded), or nil at the end of the shard or after a fatal error.
    /// - Throws: `LoaderError`: `.invalidSample` (duplicate extension, unparsable caption), `.noImage`,
    ///   `.invalidLabel` (reading may go on after these three), `.corruptArchive` (reading goes on when `resumeOffset` is set) or `.io` (the shard ends).
    public mutating func next() throws(LoaderError) -> Sample? {
        while let raw = try nextRaw() {
            if let sample = try decoder.decode(raw) { return sample }
        }
        return nil
    }

    /// The next sample as a listing (key, parts, label), image or not, as webdataset iterates it.
    /// - Returns: The listing, or nil at the end of the shard or after a fatal error.
    /// - Throws: As `nextRaw()`, and `.invalidLabel` for a label that does not parse.
    public mutating func nextListing() throws(LoaderError) -> SampleListing? {
        while let raw = try nextRaw() {
            if let listing = try decoder.listing(raw) { return listing }
        }
        return nil
    }

    /// The next group of members, undecoded, as webdataset's `group_by_keys` yields it (a sample holding a
    /// non-empty `__bad__` part included; `next()` drops it as the peer's `valid_sample` does).
    /// - Returns: The raw sample, or nil at the end of the shard or after a fatal error.
    /// - Throws: `LoaderError`: `.invalidSample` for a duplicate extension (the sample is dropped, reading may go
    ///   on), `.corruptArchive` (reading goes on when `resumeOffset` is set) or `.io` (the shard ends here).
    public mutating func nextRaw() throws(LoaderError) -> WebDatasetRawSample? {
        if let deferred = deferredError {
            deferredError = nil
            throw deferred
        }
        guard !finished else { return nil }
        var group: WebDatasetRawSample?
        while true {
            let item: (key: String, part: WebDatasetPart)
            if let ahead = pending {
                item = ahead
                pending = nil
            } else {
                let member: TarMember?
                do {
                    member = try tar.next()
                } catch {
                    return try failed(error, group: group)
                }
                guard let member else {
                    finished = true
                    return group
                }
                guard let classified = Self.part(member) else { continue }
                item = classified
            }
            if let skippedKey {
                if item.key == skippedKey { continue }
                self.skippedKey = nil
            }
            guard var current = group else {
                group = WebDatasetRawSample(key: item.key, parts: [item.part])
                continue
            }
            if item.key != current.key {
                pending = item
                return current
            }
            if current.contains(item.part.extensionName) {
                skippedKey = current.key
                throw LoaderError(.invalidSample,
                                  "duplicate extension '\(item.part.extensionName)' in sample (the sample is dropped)",
                                  location: url, member: item.part.member, offset: UInt64(item.part.offset),
                                  key: current.key)
            }
            current.parts.append(item.part)
            group = current
        }
    }

    /// The key and part of a member, or nil when webdataset skips it (metadata, no extension).
    private static func part(_ member: TarMember) -> (key: String, part: WebDatasetPart)? {
        // Python's tarfile strips trailing slashes from a PAX `path` (an empty one then names nothing).
        var name = member.name
        if let path = member.paxRecords["path"] {
            name = path
            while name.hasSuffix("/") { name.removeLast() }
        }
        guard member.isRegular, !WebDatasetMemberName.isMetadata(name),
              let (key, suffix) = WebDatasetMemberName.split(name) else { return nil }
        return (key, WebDatasetPart(extensionName: suffix.lowercased(), member: name, offset: member.headerOffset,
                                    data: member.data))
    }

    /// Maps a tar error to a loader error naming the shard URL, member, offset, the key of the sample it cost, and
    /// what a resynchronisation skipped.
    static func loaderError(_ error: TarError, url: String, key: String?) -> LoaderError {
        let kind: LoaderError.Kind
        switch error.kind {
        case .io, .commandFailed: kind = .io
        default: kind = .corruptArchive
        }
        var failure = LoaderError(kind, error.message, location: url, member: error.memberName,
                                  offset: error.offset.map { UInt64(max(0, $0)) }, key: key)
        failure.skippedBytes = error.skippedBytes.map { UInt64(max(0, $0)) }
        failure.resumeOffset = error.resumeOffset.map { UInt64(max(0, $0)) }
        return failure
    }
}

private extension String {
    /// Percent-decoded when the escapes are valid, else unchanged.
    var removingPercentEncodingIfValid: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = Array(utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
               let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self) ?? self
    }
}
