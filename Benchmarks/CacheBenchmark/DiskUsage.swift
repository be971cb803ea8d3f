#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CacheShard
import Foundation

/// Bytes on disk per variant for each stored codec, with one variant per record (K = 1) and with four (K = 4).
struct DiskUsage {
    /// One codec's numbers.
    struct Row {
        let codec: StoredCodec
        /// Average payload before zstd (raw pixels, PNG or JPEG file).
        let payload: Double
        /// Average compressed variant frame.
        let frame: Double
        /// Data file bytes per variant (frames, record headers, meta frames, file header), K = 1 and K = 4.
        let perVariantK1: Double
        let perVariantK4: Double
        /// Index file bytes per record.
        let indexPerRecord: Double
    }

    /// Per codec.
    let rows: [Row]

    /// Measures the K = 1 shards of the fixture and writes K = 4 shards beside them.
    /// - Parameters:
    ///   - fixture: The fetch benchmark's caches.
    ///   - directory: The work folder.
    /// - Throws: Cache or I/O errors.
    init(fixture: CacheFixture, directory: String) throws {
        var rows: [Row] = []
        for codec in StoredCodec.allCases {
            let payloads = try CacheFixture.payloads(codec, images: fixture.images, jpegs: fixture.jpegs, pngs: fixture.pngs)
            let k1 = directory + "/\(codec.slug)-k1/bench"
            let k4 = try CacheFixture.writeShard(codec, variantsPerRecord: 4, payloads: payloads, keys: fixture.keys,
                                                 digests: fixture.digests, under: directory) + "/bench"
            let count = Double(payloads.count)
            rows.append(Row(codec: codec, payload: Double(payloads.reduce(0) { $0 + $1.count }) / count,
                            frame: Double(try Self.frameBytes(k1 + ".sgidc")) / count,
                            perVariantK1: Double(try Self.size(k1 + ".sgidc")) / count,
                            perVariantK4: Double(try Self.size(k4 + ".sgidc")) / (4 * count),
                            indexPerRecord: Double(try Self.size(k1 + ".sgidx")) / count))
        }
        self.rows = rows
    }

    private static func size(_ path: String) throws -> Int {
        guard let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int else {
            throw BenchmarkFailure("no size for \(path)")
        }
        return size
    }

    /// Sum of every variant frame's compressed length in a shard.
    private static func frameBytes(_ path: String) throws -> Int {
        let reader = try CacheShardReader(path: path)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BenchmarkFailure("cannot open \(path)") }
        defer { close(descriptor) }
        return try reader.index.entries.reduce(0) { total, entry in
            total + (try RecordLayout(descriptor: descriptor, offset: entry.offset)).variantLengths.reduce(0, +)
        }
    }
}
