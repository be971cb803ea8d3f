/// Reads a cache shard: its committed records through the index, single variants without touching the others,
/// and full verification. Safe to use from many threads at once (reads are positioned `pread`s).
public final class CacheShardReader: @unchecked Sendable {
    /// The shard's files.
    public let paths: ShardPaths
    /// The committed records when the reader was opened (or last refreshed by the owner).
    public let index: ShardIndex
    /// Damaged stretches stepped over when the reader had to scan the data file (no usable index), the last one
    /// possibly a torn tail running to the end of the file; empty otherwise.
    public let damaged: [CacheDamage]
    /// Why the index could not be used (damaged, or committing more than the file holds), when the reader scanned.
    public let indexProblem: CacheError?
    private let data: ShardFile

    /// Opens a shard for reading. Without an index (never committed, or damaged), the data file is scanned, stepping
    /// over damaged records to the next intact one (`damaged` lists them).
    /// - Parameter path: `…/NAME.sgidc` or `…/NAME`.
    /// - Throws: `.notFound`, `.corrupt` for a file that is not a cache shard, `.io`.
    public init(path: String) throws(CacheError) {
        paths = ShardPaths(path)
        data = try ShardFile(path: paths.data, mode: .read)
        let size = try data.size()
        let header = try data.read(count: min(Int(size), CacheFormat.fileHeaderLength), at: 0)
        do throws(CacheError) {
            try withCacheBytes(header) { (raw) throws(CacheError) in try CacheFormat.checkFileHeader(raw) }
        } catch {
            throw error.located(path: paths.data)
        }
        let indexPath = paths.index
        let loaded = Result { () throws(CacheError) in try ShardIndex.load(indexPath) }
        if case .success(let found?) = loaded, found.committedLength <= size {
            index = found
            damaged = []
            indexProblem = nil
            return
        }
        switch loaded {
        case .failure(let error): indexProblem = error
        case .success(let found?):
            indexProblem = CacheError(.corrupt, "the index commits \(found.committedLength) bytes, the data file holds \(size)",
                                      path: indexPath)
        case .success(nil): indexProblem = nil  // never committed
        }
        let scan = try RecordScanner.scan(data, from: UInt64(CacheFormat.fileHeaderLength), fileSize: size)
        index = ShardIndex(committedLength: scan.end, entries: scan.entries)
        damaged = scan.damaged + (scan.tail.map { [CacheDamage(offset: scan.end, length: size - scan.end, reason: $0)] } ?? [])
    }

    private init(paths: ShardPaths, data: ShardFile, index: ShardIndex, damaged: [CacheDamage], indexProblem: CacheError?) {
        self.paths = paths
        self.data = data
        self.index = index
        self.damaged = damaged
        self.indexProblem = indexProblem
    }

    /// The same reader without its index entries, for owners that keep their own index (the store): saves about
    /// 200 bytes per record.
    /// - Returns: A reader of the same file whose `index.entries` is empty.
    public func releasingEntries() -> CacheShardReader {
        CacheShardReader(paths: paths, data: data, index: ShardIndex(committedLength: index.committedLength, entries: []),
                         damaged: damaged, indexProblem: indexProblem)
    }

    /// Reads a record's identity, provenance and variant descriptors.
    /// - Parameter entry: An entry of this shard's index.
    /// - Returns: The meta (variant payloads empty).
    /// - Throws: `.corrupt`/`.truncated` located at the record.
    public func meta(of entry: IndexEntry) throws(CacheError) -> CacheRecordMeta {
        try RecordScanner.record(in: data, at: entry.offset, fileSize: entry.offset + UInt64(entry.length),
                                 checkFrames: false).meta
    }

    /// Reads and decompresses one variant, checking its zstd content checksum; the other variants are not read.
    /// - Parameters:
    ///   - entry: An entry of this shard's index.
    ///   - index: The variant number, 0 ..< K.
    ///   - context: A zstd context to reuse (one per thread), or `nil`.
    /// - Returns: The variant with its payload.
    /// - Throws: `.invalidArgument` for a bad index; `.corrupt`/`.truncated`/`.tooLarge` located at the record.
    public func variant(of entry: IndexEntry, at index: Int,
                        context: ZstdFrame.DecompressionContext? = nil) throws(CacheError) -> CacheVariant {
        guard index >= 0, index < entry.variantCount else {
            throw CacheError(.invalidArgument, "variant \(index) of '\(entry.key)' does not exist (K = \(entry.variantCount))",
                             path: paths.data, offset: entry.offset)
        }
        let found = try RecordScanner.record(in: data, at: entry.offset, fileSize: entry.offset + UInt64(entry.length),
                                             checkFrames: false, context: context)
        let start = entry.offset + UInt64(found.header.variantOffset(index))
        let frame = try data.read(count: found.header.variantLengths[index], at: start)
        do throws(CacheError) {
            let payload = try withCacheBytes(frame) { (raw) throws(CacheError) -> [UInt8] in
                try ZstdFrame.decompress(raw, limit: found.variantLengths[index], context: context)
            }
            guard payload.count == found.variantLengths[index] else {
                throw CacheError(.corrupt, "variant \(index) has \(payload.count) bytes, its descriptor says \(found.variantLengths[index])")
            }
            var variant = found.meta.variants[index]
            variant.payload = payload
            return variant
        } catch {
            throw error.located(path: paths.data, offset: start)
        }
    }

    /// Reads a whole record with every variant.
    /// - Parameter entry: An entry of this shard's index.
    /// - Returns: The record.
    /// - Throws: As `variant(of:at:)`.
    public func record(of entry: IndexEntry) throws(CacheError) -> CacheRecord {
        let meta = try meta(of: entry)
        var variants: [CacheVariant] = []
        for index in 0..<entry.variantCount { variants.append(try variant(of: entry, at: index)) }
        return CacheRecord(key: meta.key, sourceDigest: meta.sourceDigest, fingerprint: meta.fingerprint,
                           provenanceJSON: meta.provenanceJSON, variants: variants)
    }

    /// Checks every checksum of every record and that the index agrees with the data file; every damaged stretch
    /// between intact records, and a damaged or torn tail, is a problem, and the records after it are still checked.
    /// - Returns: The number of records checked and the problems found (none when the shard is clean).
    public func verify() -> ShardVerification {
        var problems: [String] = []
        let size: UInt64
        do throws(CacheError) {
            size = try data.size()
        } catch {
            return ShardVerification(records: 0, problems: [error.description])
        }
        if let indexError = (Result { () throws(CacheError) in try ShardIndex.load(paths.index) }).failureDescription {
            problems.append(indexError)
        }
        let scan: RecordScanner.Scan
        do throws(CacheError) {
            scan = try RecordScanner.scan(data, from: UInt64(CacheFormat.fileHeaderLength), fileSize: size)
        } catch {
            return ShardVerification(records: 0, problems: problems + [error.description])
        }
        for damage in scan.damaged { problems.append(damage.description) }
        if let tail = scan.tail { problems.append("\(tail.description); \(size - scan.end) bytes to the end of the file") }
        var checked = 0
        for entry in scan.entries {
            for index in 0..<entry.variantCount {
                do throws(CacheError) {
                    _ = try variant(of: entry, at: index)
                } catch {
                    problems.append(error.description)
                }
            }
            checked += 1
        }
        let scanned = Dictionary(scan.entries.map { ($0.offset, $0) }, uniquingKeysWith: { first, _ in first })
        for entry in index.entries where scanned[entry.offset] != entry {
            problems.append("\(paths.index): entry for '\(entry.key)' at byte \(entry.offset) does not match a record in the data file")
        }
        if index.committedLength > scan.end {
            problems.append("\(paths.data): the index commits \(index.committedLength) bytes but intact records end at \(scan.end)")
        }
        let committed = index.entries.count { scanned[$0.offset] == $0 }
        return ShardVerification(records: checked, committed: committed, problems: problems)
    }

    /// Intact records written after the last commit (a writer killed between commits leaves them): readers do not
    /// see them until a writer reopens the shard, recovers and commits them. Scans only the data past the index.
    /// - Returns: Their number (0 for a reader that scanned the whole file because it had no usable index).
    public func uncommittedRecords() -> Int {
        guard let size = try? data.size(), size > index.committedLength else { return 0 }
        return (try? RecordScanner.scan(data, from: index.committedLength, fileSize: size))?.entries.count ?? 0
    }
}

/// What `CacheShardReader.verify()` found.
public struct ShardVerification: Sendable, Equatable {
    /// Intact records read in full.
    public var records: Int
    /// Those of them the index commits (what readers and the loader see); the others were written after the last
    /// commit and become committed when a writer next opens the shard.
    public var committed: Int
    /// Each problem, naming the file and byte offset.
    public var problems: [String]
    /// Whether nothing is wrong.
    public var isClean: Bool { problems.isEmpty }

    /// Creates a verification result.
    /// - Parameters:
    ///   - records: Intact records read in full.
    ///   - committed: Those the index commits (default: all of them).
    ///   - problems: Each problem found.
    public init(records: Int, committed: Int? = nil, problems: [String]) {
        self.records = records
        self.committed = committed ?? records
        self.problems = problems
    }
}

extension Result where Failure == CacheError {
    /// The error's description, or `nil` on success.
    var failureDescription: String? {
        if case .failure(let error) = self { return error.description }
        return nil
    }
}
