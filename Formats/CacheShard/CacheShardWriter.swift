import Foundation

/// The one writer of a cache shard: appends records, commits them in groups, and recovers after a crash.
///
/// A second writer on the same shard (in any process) is refused with `.locked`. After `kill -9` at any moment,
/// opening the shard again keeps every committed record (and every complete, intact record after them), truncates the
/// unfinished tail, and installs a fresh index. Recovery never deletes a record that verifies: a damaged record in the
/// middle is stepped over (reported in `recovery.damaged`, left in place for `verify` and `compact --drop-damaged`),
/// and only a torn tail after the last intact record is cut. Not thread-safe: one thread appends.
public final class CacheShardWriter {
    /// When the data reaches stable storage.
    public enum SyncPolicy: String, Sendable, Codable {
        /// fsync after every record (slowest; a machine crash loses at most the record being written).
        case always
        /// fsync at each commit (default; a machine crash loses at most the uncommitted group).
        case commit
        /// Never fsync (a process crash loses nothing, a machine crash may lose recent groups).
        case never
    }

    /// Commit and durability settings.
    public struct Options: Sendable {
        /// Commit after this many appended records.
        public var commitEveryRecords: Int
        /// Commit when this much time has passed since the last commit (checked at each append).
        public var commitInterval: Duration
        /// When to fsync.
        public var sync: SyncPolicy
        /// zstd level of meta frames.
        public var compressionLevel: Int32
        /// zstd level of raw-pixel variants. The default, -1 (zstd's fast mode), keeps fetching a raw 512×512 variant
        /// 2.4× faster than decoding the same image from JPEG q95 (level 3: 1.3×; see Benchmarks/README.md) at 82 %
        /// of the raw size (level 3: 70 %).
        public var rawCompressionLevel: Int32

        /// Creates options.
        /// - Parameters:
        ///   - commitEveryRecords: Records per commit group (default 64).
        ///   - commitInterval: Longest time between commits while appending (default 10 s).
        ///   - sync: The fsync policy (default `.commit`).
        ///   - compressionLevel: zstd level of meta frames (default 3).
        ///   - rawCompressionLevel: zstd level of raw-pixel variants (default -1).
        public init(commitEveryRecords: Int = 64, commitInterval: Duration = .seconds(10), sync: SyncPolicy = .commit,
                    compressionLevel: Int32 = 3, rawCompressionLevel: Int32 = -1) {
            self.commitEveryRecords = max(1, commitEveryRecords)
            self.commitInterval = commitInterval
            self.sync = sync
            self.compressionLevel = compressionLevel
            self.rawCompressionLevel = rawCompressionLevel
        }
    }

    /// What opening the shard found and repaired.
    public struct Recovery: Sendable, Equatable {
        /// Records the installed index listed.
        public var committedRecords: Int
        /// Complete, intact records found after the committed part and kept.
        public var recoveredRecords: Int
        /// Damaged stretches between intact records, stepped over and left in place (never deleted).
        public var damaged: [CacheDamage]
        /// Bytes of unfinished tail removed (after the last intact record only).
        public var truncatedBytes: UInt64
        /// Why the tail was cut, if it was.
        public var reason: String?
        /// Whether the index was missing or damaged and was rebuilt by scanning.
        public var rebuiltIndex: Bool
    }

    /// The shard's files.
    public let paths: ShardPaths
    /// The settings in force.
    public let options: Options
    /// What opening found.
    public let recovery: Recovery
    private let lock: ShardFile
    private let data: ShardFile
    private var entries: [IndexEntry]
    private var fingerprints: Set<String>
    private var committedCount: Int
    private var end: UInt64
    private var lastCommit = ContinuousClock.now
    private var closed = false

    /// Opens (creating if needed) a shard for appending, taking its lock and recovering from any crash.
    /// - Parameters:
    ///   - path: `…/NAME.sgidc` or `…/NAME`.
    ///   - options: Commit and durability settings.
    /// - Throws: `.locked` when another writer has it open, `.corrupt` when the file is not a cache shard,
    ///   `.io` for system errors.
    public init(path: String, options: Options = Options()) throws(CacheError) {
        paths = ShardPaths(path)
        self.options = options
        do {
            try FileManager.default.createDirectory(atPath: paths.directory, withIntermediateDirectories: true)
        } catch {
            throw CacheError(.io, "cannot create the cache directory: \(error.localizedDescription)", path: paths.directory)
        }
        lock = try ShardFile(path: paths.lock, mode: .write)
        guard try lock.tryLock() else {
            throw CacheError(.locked, "another writer holds this shard (lock \(paths.lock))", path: paths.data)
        }
        data = try ShardFile(path: paths.data, mode: .write)
        var size = try data.size()
        if size < UInt64(CacheFormat.fileHeaderLength) {
            // New, or a crash while it was being created: nothing can have been committed yet.
            try data.truncate(to: 0)
            try data.write(CacheFormat.fileHeader, at: 0)
            if options.sync != .never { try data.sync() }
            size = UInt64(CacheFormat.fileHeaderLength)
        } else {
            let header = try data.read(count: CacheFormat.fileHeaderLength, at: 0)
            do throws(CacheError) {
                try withCacheBytes(header) { (raw) throws(CacheError) in try CacheFormat.checkFileHeader(raw) }
            } catch {
                throw error.located(path: paths.data)
            }
        }
        var index: ShardIndex?
        var rebuilt = false
        do throws(CacheError) {
            index = try ShardIndex.load(paths.index)
        } catch {
            rebuilt = true  // damaged index: the data file is the truth
        }
        if let loaded = index, loaded.committedLength > size || loaded.committedLength < UInt64(CacheFormat.fileHeaderLength) {
            index = nil
            rebuilt = true
        }
        if index == nil, size > UInt64(CacheFormat.fileHeaderLength) { rebuilt = true }
        let start = index?.committedLength ?? UInt64(CacheFormat.fileHeaderLength)
        let scan = try RecordScanner.scan(data, from: start, fileSize: size)  // a read error stops here, truncating nothing
        entries = (index?.entries ?? []) + scan.entries
        fingerprints = Set(entries.map(\.fingerprint))
        end = scan.end
        committedCount = entries.count
        recovery = Recovery(committedRecords: index?.entries.count ?? 0, recoveredRecords: scan.entries.count,
                            damaged: scan.damaged, truncatedBytes: size - scan.end, reason: scan.tail?.description,
                            rebuiltIndex: rebuilt)
        if scan.end < size { try data.truncate(to: scan.end) }
        if index == nil || !scan.entries.isEmpty || scan.end < size {
            if options.sync != .never { try data.sync() }
            try ShardIndex(committedLength: end, entries: entries).install(at: paths, sync: options.sync != .never)
        }
    }

    deinit {
        if !closed { try? commit() }
    }

    /// Every record in the shard so far (committed and pending), in file order.
    public var allEntries: [IndexEntry] { entries }

    /// Records appended but not yet committed.
    public var pendingCount: Int { entries.count - committedCount }

    /// Appends a record; commits when the group is full or the interval has passed.
    /// - Parameter record: The record.
    /// - Returns: Where it was written.
    /// - Throws: `.invalidArgument` for an inconsistent record, `.io` for write failures.
    @discardableResult
    public func append(_ record: CacheRecord) throws(CacheError) -> IndexEntry {
        guard !closed else { throw CacheError(.invalidArgument, "append after close", path: paths.data) }
        if !fingerprints.contains(record.meta.fingerprint) {
            guard fingerprints.count < Int(UInt16.max) else {
                throw CacheError(.invalidArgument, "a shard holds at most 65,535 distinct fingerprints", path: paths.data)
            }
        }
        let (bytes, header) = try RecordCodec.encode(record, level: options.compressionLevel,
                                                     rawLevel: options.rawCompressionLevel)
        try data.write(bytes, at: end)
        if options.sync == .always { try data.sync() }
        let entry = IndexEntry(offset: end, length: header.recordLength, variantCount: record.variants.count,
                               key: record.meta.key, sourceDigest: record.meta.sourceDigest,
                               fingerprint: record.meta.fingerprint)
        entries.append(entry)
        fingerprints.insert(entry.fingerprint)
        end += UInt64(bytes.count)
        if pendingCount >= options.commitEveryRecords || ContinuousClock.now - lastCommit >= options.commitInterval {
            try commit()
        }
        return entry
    }

    /// Makes every appended record durable (per the sync policy) and visible to readers.
    /// - Throws: `.io` on failure; the previous index stays valid.
    public func commit() throws(CacheError) {
        lastCommit = ContinuousClock.now
        guard pendingCount > 0 else { return }
        if options.sync == .commit { try data.sync() }
        try ShardIndex(committedLength: end, entries: entries).install(at: paths, sync: options.sync != .never)
        committedCount = entries.count
    }

    /// Commits and releases the shard's lock, so another writer may open it.
    /// - Throws: `.io` when the final commit fails (the lock is released all the same).
    public func close() throws(CacheError) {
        guard !closed else { return }
        closed = true
        defer { lock.unlock() }
        try commit()
    }
}
