#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one committed record is, and whose it is.
public struct IndexEntry: Sendable, Hashable {
    /// Byte offset of the record in the data file.
    public var offset: UInt64
    /// Bytes of the whole record.
    public var length: Int
    /// Number of variants.
    public var variantCount: Int
    /// The source sample's key.
    public var key: String
    /// SHA-256 of the source image.
    public var sourceDigest: SourceDigest
    /// The generator fingerprint.
    public var fingerprint: String

    /// Creates an entry.
    /// - Parameters:
    ///   - offset: Record offset.
    ///   - length: Record length.
    ///   - variantCount: K.
    ///   - key: Source key.
    ///   - sourceDigest: Source digest.
    ///   - fingerprint: Generator fingerprint.
    public init(offset: UInt64, length: Int, variantCount: Int, key: String, sourceDigest: SourceDigest, fingerprint: String) {
        self.offset = offset
        self.length = length
        self.variantCount = variantCount
        self.key = key
        self.sourceDigest = sourceDigest
        self.fingerprint = fingerprint
    }
}

/// The index file of a shard: the committed length of the data file and an entry per committed record (SPEC.md).
public struct ShardIndex: Sendable, Hashable {
    /// Every byte of the data file before this offset belongs to complete, committed records.
    public var committedLength: UInt64
    /// The committed records in file order.
    public var entries: [IndexEntry]

    /// Creates an index.
    /// - Parameters:
    ///   - committedLength: The committed length of the data file.
    ///   - entries: The records.
    public init(committedLength: UInt64, entries: [IndexEntry]) {
        self.committedLength = committedLength
        self.entries = entries
    }

    /// The index file's bytes.
    /// - Throws: `.invalidArgument` when a key or fingerprint exceeds 65,535 bytes or there are over 65,535 fingerprints.
    func encoded() throws(CacheError) -> [UInt8] {
        var fingerprints: [String] = []
        var numbers: [String: Int] = [:]
        for entry in entries where numbers[entry.fingerprint] == nil {
            numbers[entry.fingerprint] = fingerprints.count
            fingerprints.append(entry.fingerprint)
        }
        guard fingerprints.count <= Int(UInt16.max) else {
            throw CacheError(.invalidArgument, "a shard holds more than 65,535 distinct fingerprints")
        }
        var writer = ByteWriter()
        writer.raw(CacheFormat.indexMagic)
        writer.u16(CacheFormat.version)
        writer.u16(0)
        writer.u64(committedLength)
        writer.u32(UInt32(fingerprints.count))
        for fingerprint in fingerprints {
            guard fingerprint.utf8.count <= Int(UInt16.max) else {
                throw CacheError(.invalidArgument, "fingerprint longer than 65,535 bytes")
            }
            writer.str16(fingerprint)
        }
        writer.u32(UInt32(entries.count))
        for entry in entries {
            guard entry.key.utf8.count <= Int(UInt16.max) else {
                throw CacheError(.invalidArgument, "key longer than 65,535 bytes: \(entry.key.prefix(80))…")
            }
            writer.u64(entry.offset)
            writer.u32(UInt32(entry.length))
            writer.u16(UInt16(entry.variantCount))
            writer.u16(UInt16(numbers[entry.fingerprint]!))
            writer.raw(entry.sourceDigest.bytes)
            writer.str16(entry.key)
        }
        writer.u32(CRC32.checksum(writer.bytes))
        return writer.bytes
    }

    /// Parses an index file.
    /// - Parameter bytes: The whole file.
    /// - Returns: The index.
    /// - Throws: `.corrupt` / `.truncated` for a damaged file (checksum first, so no field of a damaged file is trusted).
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(CacheError) -> ShardIndex {
        guard bytes.count >= 28 else { throw CacheError(.truncated, "index is \(bytes.count) bytes, too short") }
        let body = UnsafeRawBufferPointer(rebasing: bytes[0..<bytes.count - 4])
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 4, as: UInt32.self))
        guard Array(bytes[0..<8]) == CacheFormat.indexMagic else { throw CacheError(.corrupt, "not a cache index (bad magic)") }
        guard stored == CRC32.checksum(body) else { throw CacheError(.corrupt, "index checksum mismatch") }
        var reader = ByteReader(body, what: "index")
        _ = try reader.take(8)
        let version = try reader.u16()
        guard version == CacheFormat.version else { throw CacheError(.corrupt, "index version \(version) is not supported") }
        _ = try reader.u16()
        let committed = try reader.u64()
        let fingerprintCount = Int(try reader.u32())
        guard fingerprintCount <= reader.remaining / 2 else { throw CacheError(.corrupt, "index fingerprint count is impossible") }
        var fingerprints: [String] = []
        for _ in 0..<fingerprintCount { fingerprints.append(try reader.str16()) }
        let count = Int(try reader.u32())
        guard count <= reader.remaining / 50 else { throw CacheError(.corrupt, "index entry count \(count) is impossible") }
        var entries: [IndexEntry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let offset = try reader.u64()
            let length = Int(try reader.u32())
            let variants = Int(try reader.u16())
            let fingerprint = Int(try reader.u16())
            let digest = SourceDigest(bytes: try reader.array(32))!
            let key = try reader.str16()
            guard fingerprint < fingerprints.count else { throw CacheError(.corrupt, "index names fingerprint \(fingerprint) of \(fingerprints.count)") }
            entries.append(IndexEntry(offset: offset, length: length, variantCount: variants, key: key,
                                      sourceDigest: digest, fingerprint: fingerprints[fingerprint]))
        }
        guard reader.remaining == 0 else { throw CacheError(.corrupt, "index has \(reader.remaining) trailing bytes") }
        return ShardIndex(committedLength: committed, entries: entries)
    }

    /// Reads an index file; `nil` when it does not exist.
    /// - Parameter path: The index file.
    /// - Returns: The index or `nil`.
    /// - Throws: `.corrupt`/`.truncated` for a damaged index, `.io` for read errors.
    static func load(_ path: String) throws(CacheError) -> ShardIndex? {
        let file: ShardFile
        do throws(CacheError) {
            file = try ShardFile(path: path, mode: .read)
        } catch where error.kind == .notFound {
            return nil
        }
        let bytes = try file.read(count: Int(try file.size()), at: 0)
        do throws(CacheError) {
            return try withCacheBytes(bytes) { (raw) throws(CacheError) -> ShardIndex in try decode(raw) }
        } catch {
            throw error.located(path: path)
        }
    }

    /// Writes the index next to the data file and installs it atomically (temporary file, fsync, rename, fsync directory).
    /// The temporary file is created afresh (`O_EXCL | O_NOFOLLOW`) after removing any leftover of a crash, so a
    /// symbolic link planted under its name is removed, never written through. Only the lock holder calls this.
    /// - Parameter paths: The shard's files.
    /// - Throws: `.io` on failure (the previous index stays in place).
    func install(at paths: ShardPaths, sync: Bool) throws(CacheError) {
        let temporary = paths.index + ".tmp"
        if unlink(temporary) != 0, errno != ENOENT {
            throw CacheError(.io, "cannot remove a leftover temporary index: \(String(cString: strerror(errno)))", path: temporary)
        }
        let file = try ShardFile(path: temporary, mode: .create)
        try file.write(try encoded(), at: 0)
        if sync { try file.sync() }
        try ShardFile.rename(temporary, to: paths.index)
        if sync { ShardFile.syncDirectory(paths.directory) }
    }
}
