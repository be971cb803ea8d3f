import CacheShard
import Foundation
import ImageCodec
import Synchronization

/// Where a cached sample's generations are: returned by `CacheStore.lookup` and passed back to read variants.
public struct CachedSample: Sendable, Hashable {
    /// The shard file holding the record.
    public let shardPath: String
    /// The record's entry in that shard.
    public let entry: IndexEntry
    fileprivate let shard: Int

    /// Number of generated variants (K).
    public var variantCount: Int { entry.variantCount }
}

/// All cache shards of a directory, written by any number of ranks, merged into one O(1) index from
/// (key, source digest, generator fingerprint) to the record. Lookups and reads are safe from many threads;
/// `refresh()` picks up records committed since.
public final class CacheStore: Sendable {
    /// Counts describing the merged index.
    public struct Statistics: Sendable, Equatable {
        /// Shard files merged.
        public var shards: Int
        /// Distinct records indexed.
        public var records: Int
        /// Records found in more than one shard (the first shard, in name order, wins).
        public var duplicates: Int
        /// Distinct generator fingerprints.
        public var fingerprints: Int
        /// Bytes of the in-memory index, keys included.
        public var indexBytes: Int
    }

    private struct Snapshot: Sendable {
        var readers: [CacheShardReader]
        var index: StoreIndex
    }

    /// The cache directory.
    public let directory: String
    private let snapshot: Mutex<Snapshot>

    /// Opens every `*.sgidc` shard of a directory and merges their committed records.
    /// - Parameter directory: The cache directory (it may be empty or not exist yet: the store is then empty).
    /// - Throws: `CacheError` when a shard cannot be opened (not a cache shard, I/O error).
    public init(directory: String) throws(CacheError) {
        self.directory = directory
        snapshot = Mutex(try Self.load(directory))
    }

    private static func load(_ directory: String) throws(CacheError) -> Snapshot {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix("." + CacheFormat.dataExtension) }.sorted()
        var readers: [CacheShardReader] = []
        for name in names { readers.append(try CacheShardReader(path: directory + "/" + name)) }
        let index = try StoreIndex(shards: readers.map(\.index.entries))
        // The merged index replaces the readers' own entry lists (≈ 200 bytes per record).
        return Snapshot(readers: readers.map { $0.releasingEntries() }, index: index)
    }

    /// Re-reads the directory: new shards and newly committed records become visible. Lookups in progress keep the
    /// snapshot they started with.
    /// - Throws: `CacheError` when a shard cannot be opened (the previous snapshot stays in use).
    public func refresh() throws(CacheError) {
        let fresh = try Self.load(directory)
        snapshot.withLock { $0 = fresh }
    }

    /// Counts describing the merged index.
    public var statistics: Statistics {
        let current = snapshot.withLock { $0 }
        return Statistics(shards: current.readers.count, records: current.index.records.count,
                          duplicates: current.index.duplicates, fingerprints: current.index.fingerprints.count,
                          indexBytes: current.index.memoryBytes)
    }

    /// The distinct generator fingerprints in the cache.
    public var fingerprints: [String] { snapshot.withLock { $0.index.fingerprints } }

    /// Finds the generations of a source image made by a generator.
    /// - Parameters:
    ///   - key: The source sample's key.
    ///   - sourceDigest: SHA-256 of the source image's encoded bytes (a changed image misses).
    ///   - fingerprint: The generator fingerprint (other settings miss).
    /// - Returns: Where the record is, or `nil` on a miss.
    public func lookup(key: String, sourceDigest: SourceDigest, fingerprint: String) -> CachedSample? {
        let current = snapshot.withLock { $0 }
        guard let number = current.index.find(key: key, digest: sourceDigest, fingerprint: fingerprint) else { return nil }
        let record = current.index.records[number]
        let reader = current.readers[Int(record.shard)]
        let entry = IndexEntry(offset: record.offset, length: Int(record.length), variantCount: Int(record.variantCount),
                               key: key, sourceDigest: sourceDigest, fingerprint: fingerprint)
        return CachedSample(shardPath: reader.paths.data, entry: entry, shard: Int(record.shard))
    }

    private func reader(for sample: CachedSample) throws(CacheError) -> CacheShardReader {
        let readers = snapshot.withLock { $0.readers }
        guard sample.shard < readers.count, readers[sample.shard].paths.data == sample.shardPath else {
            return try CacheShardReader(path: sample.shardPath)
        }
        return readers[sample.shard]
    }

    /// Reads a record's identity, provenance and variant descriptors (seeds, sizes, consistency scores), no pixels.
    /// - Parameter sample: A lookup result.
    /// - Returns: The record's meta.
    /// - Throws: `CacheError` naming the shard and byte offset for damaged data.
    public func meta(_ sample: CachedSample) throws(CacheError) -> CacheRecordMeta {
        try reader(for: sample).meta(of: sample.entry)
    }

    /// Reads one variant's stored bytes (only that variant is read and decompressed).
    /// - Parameters:
    ///   - sample: A lookup result.
    ///   - index: The variant number, 0 ..< K.
    ///   - context: A zstd context to reuse on this thread, or `nil`.
    /// - Returns: The variant with its payload.
    /// - Throws: `CacheError` naming the shard and byte offset for damaged data; `.corrupt` when the record's
    ///   identity does not match the lookup (a hash collision or a replaced file).
    public func variant(_ sample: CachedSample, at index: Int,
                        context: ZstdFrame.DecompressionContext? = nil) throws(CacheError) -> CacheVariant {
        try reader(for: sample).variant(of: sample.entry, at: index, context: context)
    }

    /// Reads one variant and decodes it to pixels.
    /// - Parameters:
    ///   - sample: A lookup result.
    ///   - index: The variant number, 0 ..< K.
    ///   - context: A zstd context to reuse on this thread, or `nil`.
    /// - Returns: The image.
    /// - Throws: `CacheError` for damaged cache data, or `.corrupt` wrapping the image decoder's message.
    public func image(_ sample: CachedSample, at index: Int,
                      context: ZstdFrame.DecompressionContext? = nil) throws(CacheError) -> Image {
        let stored = try variant(sample, at: index, context: context)
        return try Self.decode(stored, location: "\(sample.shardPath) at byte \(sample.entry.offset), variant \(index)")
    }

    /// Turns a stored variant into pixels.
    /// - Parameters:
    ///   - variant: The variant with its payload.
    ///   - location: Where it came from, for errors.
    /// - Returns: The image.
    /// - Throws: `.corrupt` when the payload does not decode or its size disagrees with the descriptor.
    public static func decode(_ variant: CacheVariant, location: String) throws(CacheError) -> Image {
        let image: Image
        switch variant.codec {
        case .raw:
            image = Image(width: variant.width, height: variant.height, channels: variant.channels, pixels: variant.payload)
        case .png, .jpeg:
            do {
                let mode: ColorMode = variant.channels == 1 ? .gray : .rgb
                image = try ImageDecoder.decode(variant.payload, options: DecodeOptions(mode: mode))
            } catch {
                throw CacheError(.corrupt, "variant payload does not decode: \(error)", path: location)
            }
        }
        guard image.width == variant.width, image.height == variant.height else {
            throw CacheError(.corrupt, "variant decodes to \(image.width)x\(image.height), its descriptor says "
                             + "\(variant.width)x\(variant.height)", path: location)
        }
        return image
    }
}
