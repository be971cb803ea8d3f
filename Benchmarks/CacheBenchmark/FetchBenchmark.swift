import BenchmarkSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CacheShard
import GenerationCache
import ImageCodec

/// Per-image time of every way to get a 512×512 image's pixels: through the cache (lookup + `image(_:at:context:)`,
/// one reused zstd context) for each stored codec, and by decoding the JPEG q95 / PNG file from memory or from disk.
/// One thread; every path is checked for the right pixels before it is timed.
struct FetchBenchmark {
    /// One measured path.
    struct Row {
        /// What it does.
        let name: String
        /// The fastest pass over all images, in seconds.
        var bestSeconds = Double.infinity
        /// Minor page faults per image over all timed passes.
        var faultsPerImage = 0.0
    }

    /// A path to time: fetches image `index` and returns something derived from its pixels.
    private struct Path {
        let name: String
        let fetch: (Int) throws -> Int
    }

    /// The main comparison, in table order.
    private(set) var rows: [Row] = []
    /// Where the raw fetch's time goes, part by part.
    private(set) var breakdown: [Row] = []
    /// Images per pass.
    let imageCount: Int

    /// Checks every path once, then times `rounds` passes of each, `cycles` times round-robin (fastest pass counts).
    /// - Parameters:
    ///   - fixture: The caches and files.
    ///   - rounds: Passes per path per cycle.
    ///   - cycles: Round-robin repetitions.
    /// - Throws: `BenchmarkFailure` when pixels disagree or a read fails.
    init(fixture: CacheFixture, rounds: Int, cycles: Int) throws {
        imageCount = fixture.images.count
        let main = try Self.mainPaths(fixture)
        let parts = try Self.breakdownPaths(fixture)
        try Self.check(fixture)
        for path in main + parts { for index in 0..<imageCount { blackHole(try path.fetch(index)) } }  // warm up
        rows = main.map { Row(name: $0.name) }
        breakdown = parts.map { Row(name: $0.name) }
        for _ in 0..<cycles {
            for (number, path) in main.enumerated() { try Self.time(path, rounds: rounds, images: imageCount, into: &rows[number]) }
            for (number, path) in parts.enumerated() {
                try Self.time(path, rounds: rounds, images: imageCount, into: &breakdown[number])
            }
        }
    }

    private static func time(_ path: Path, rounds: Int, images: Int, into row: inout Row) throws {
        let faults = minorFaults()
        let seconds = try BenchmarkTimer.best(rounds: rounds) { () throws -> Int in
            var total = 0
            for index in 0..<images { total &+= try path.fetch(index) }
            return total
        }
        row.bestSeconds = min(row.bestSeconds, seconds)
        row.faultsPerImage = Double(minorFaults() - faults) / Double(rounds * images)
    }

    private static func minorFaults() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_minflt
    }

    private static func mainPaths(_ fixture: CacheFixture) throws -> [Path] {
        let context = ZstdFrame.DecompressionContext()
        var paths: [Path] = fixture.caches.map { cache in
            Path(name: "cache fetch, \(cache.codec.label)") { index in
                guard let sample = cache.store.lookup(key: fixture.keys[index], sourceDigest: fixture.digests[index],
                                                      fingerprint: cache.fingerprint) else { throw BenchmarkFailure("miss") }
                return digest(try cache.store.image(sample, at: 0, context: context))
            }
        }
        let jpegs = fixture.jpegs, pngs = fixture.pngs, jpegPaths = fixture.jpegPaths, pngPaths = fixture.pngPaths
        paths += [
            Path(name: "JPEG q95 decode, bytes in memory") { digest(try ImageDecoder.decode(jpegs[$0])) },
            Path(name: "JPEG q95 read + decode, file on disk") { digest(try ImageDecoder.decode(try PosixFile.readAll(jpegPaths[$0]))) },
            Path(name: "PNG decode, bytes in memory") { digest(try ImageDecoder.decode(pngs[$0])) },
            Path(name: "PNG read + decode, file on disk") { digest(try ImageDecoder.decode(try PosixFile.readAll(pngPaths[$0]))) },
            Path(name: "uncompressed .rgb file read (no cache, no codec)") { digest(try PosixFile.readAll(fixture.rgbPaths[$0])) },
        ]
        return paths
    }

    /// The raw fetch taken apart with public API and POSIX reads of the same shard.
    private static func breakdownPaths(_ fixture: CacheFixture) throws -> [Path] {
        guard let raw = fixture.caches.first(where: { $0.codec == .raw }),
              let sample = raw.store.lookup(key: fixture.keys[0], sourceDigest: fixture.digests[0], fingerprint: raw.fingerprint)
        else { throw BenchmarkFailure("no raw cache") }
        let reader = try CacheShardReader(path: sample.shardPath)
        let entries = reader.index.entries
        let file = try OpenFile(path: sample.shardPath)
        let descriptor = file.descriptor
        guard entries.count == fixture.images.count else { throw BenchmarkFailure("the raw shard has \(entries.count) records") }
        let frames = try entries.map { entry in
            let layout = try RecordLayout(descriptor: descriptor, offset: entry.offset)
            return (offset: entry.offset + UInt64(layout.variantOffset(0)), length: layout.variantLengths[0])
        }
        let frameBytes = try frames.map { frame in
            var bytes = [UInt8](repeating: 0, count: frame.length)
            guard bytes.withUnsafeMutableBytes({ PosixFile.read(descriptor, into: $0, at: frame.offset) }) else {
                throw BenchmarkFailure("short read")
            }
            return bytes
        }
        let context = ZstdFrame.DecompressionContext()
        let buffer = ScratchBuffer(count: frames.map(\.length).max() ?? 0)
        let limit = BenchImages.side * BenchImages.side * 3
        return [
            Path(name: "1. `lookup` (O(1) index)") { index in
                raw.store.lookup(key: fixture.keys[index], sourceDigest: fixture.digests[index],
                                 fingerprint: raw.fingerprint)?.entry.length ?? 0
            },
            Path(name: "2. record header + meta frame (`CacheShardReader.meta(of:)`, same code as the fetch)") { index in
                try reader.meta(of: entries[index]).variants.count
            },
            Path(name: "3a. pread the variant frame into a new zero-filled array (as `ShardFile.read`)") { index in
                var bytes = [UInt8](repeating: 0, count: frames[index].length)
                guard bytes.withUnsafeMutableBytes({ PosixFile.read(file.descriptor, into: $0, at: frames[index].offset) }) else {
                    throw BenchmarkFailure("short read")
                }
                return Int(bytes[bytes.count - 1])
            },
            Path(name: "3b. pread the variant frame into a reused buffer") { index in
                let target = UnsafeMutableRawBufferPointer(rebasing: buffer.bytes[0..<frames[index].length])
                guard PosixFile.read(file.descriptor, into: target, at: frames[index].offset) else { throw BenchmarkFailure("short read") }
                return Int(target[target.count - 1])
            },
            Path(name: "4. zstd decompress + XXH64 check of the frame from memory (reused context, new output array)") { index in
                digest(try frameBytes[index].withUnsafeBytes { try ZstdFrame.decompress($0, limit: limit, context: context) })
            },
            Path(name: "5. create + free a `DecompressionContext` (what reusing the caller's context saves per fetch)") { _ in
                let fresh = ZstdFrame.DecompressionContext()
                blackHole(fresh)
                return 1
            },
        ]
    }

    /// The pixels of every cache path equal the source (raw, PNG) or the JPEG decode (JPEG).
    private static func check(_ fixture: CacheFixture) throws {
        for cache in fixture.caches {
            for index in fixture.images.indices {
                guard let sample = cache.store.lookup(key: fixture.keys[index], sourceDigest: fixture.digests[index],
                                                      fingerprint: cache.fingerprint) else { throw BenchmarkFailure("miss") }
                let fetched = try cache.store.image(sample, at: 0)
                let expected = cache.codec == .jpeg95 ? try ImageDecoder.decode(fixture.jpegs[index]) : fixture.images[index]
                guard fetched == expected else { throw BenchmarkFailure("\(cache.codec.label): image \(index) differs") }
            }
        }
    }

    private static func digest(_ image: Image) -> Int { digest(image.pixels) }

    private static func digest(_ pixels: [UInt8]) -> Int { pixels.count &+ Int(pixels[0]) &+ Int(pixels[pixels.count - 1]) }
}
