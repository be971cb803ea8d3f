import BenchmarkSupport
import CacheShard
import Foundation
import GenerationCache
import ImageCodec

/// The raw fetch again with the shard written at other zstd levels (`CacheShardWriter.Options.rawCompressionLevel`,
/// which sets the level of meta frames and raw variants): size on disk against fetch speed.
struct LevelSweep {
    /// One level's numbers.
    struct Row {
        let level: Int32
        /// Data file bytes per variant.
        let bytesPerVariant: Double
        /// Fastest pass over the images, in seconds.
        let bestSeconds: Double
    }

    /// The levels measured, in order.
    static let levels: [Int32] = [3, 1, -1, -3, -5]
    /// Per level.
    let rows: [Row]

    /// Writes a K = 1 raw shard per level under `directory` and times the fetch of every image.
    /// - Parameters:
    ///   - fixture: The images, keys and digests.
    ///   - directory: The work folder.
    ///   - rounds: Timed passes per cycle.
    ///   - cycles: Round-robin repetitions.
    /// - Throws: Cache errors, or `BenchmarkFailure` when pixels differ.
    init(fixture: CacheFixture, directory: String, rounds: Int, cycles: Int) throws {
        let fingerprint = CacheFixture.fingerprint(.raw)
        var stores: [(level: Int32, store: CacheStore, bytes: Double)] = []
        for level in Self.levels {
            let path = directory + "/raw-level\(level)/bench.sgidc"
            try FileManager.default.createDirectory(atPath: directory + "/raw-level\(level)", withIntermediateDirectories: true)
            let writer = try CacheShardWriter(path: path, options: .init(commitEveryRecords: 1 << 20, sync: .never,
                                                                          rawCompressionLevel: level))
            for (index, image) in fixture.images.enumerated() {
                try writer.append(CacheRecord(key: fixture.keys[index], sourceDigest: fixture.digests[index], fingerprint: fingerprint,
                                              variants: [CacheVariant(width: image.width, height: image.height, channels: 3,
                                                                      codec: .raw, seed: UInt64(index), payload: image.pixels)]))
            }
            try writer.close()
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            stores.append((level, try CacheStore(directory: directory + "/raw-level\(level)"),
                           Double(size) / Double(fixture.images.count)))
        }
        let context = ZstdFrame.DecompressionContext()
        let fetch = { (store: CacheStore, index: Int) throws -> Image in
            guard let sample = store.lookup(key: fixture.keys[index], sourceDigest: fixture.digests[index],
                                            fingerprint: fingerprint) else { throw BenchmarkFailure("miss") }
            return try store.image(sample, at: 0, context: context)
        }
        for entry in stores {
            for index in fixture.images.indices where try fetch(entry.store, index) != fixture.images[index] {
                throw BenchmarkFailure("level \(entry.level): image \(index) differs")
            }
        }
        var best = [Double](repeating: .infinity, count: stores.count)
        for _ in 0..<cycles {
            for (number, entry) in stores.enumerated() {
                let seconds = try BenchmarkTimer.best(rounds: rounds) { () throws -> Int in
                    var total = 0
                    for index in fixture.images.indices { total &+= try fetch(entry.store, index).pixels.count }
                    return total
                }
                best[number] = min(best[number], seconds)
            }
        }
        rows = stores.indices.map { Row(level: stores[$0].level, bytesPerVariant: stores[$0].bytes, bestSeconds: best[$0]) }
    }
}
