import CacheShard
import GenerationCache
import ImageCodec

/// `--profile N`: only N passes of the raw cache fetch and N of the JPEG q95 decode, each in its own non-inlined
/// function so that `valgrind --tool=callgrind --toggle-collect='*profileRawFetch*'` (or `*profileJPEGDecode*`)
/// counts exactly that work (see Benchmarks/README.md).
enum ProfileRun {
    /// Runs the passes.
    /// - Parameters:
    ///   - fixture: The caches and files.
    ///   - passes: Passes over the images per path.
    /// - Throws: Cache or codec errors.
    static func run(_ fixture: CacheFixture, passes: Int) throws {
        guard let raw = fixture.caches.first(where: { $0.codec == .raw }) else { throw BenchmarkFailure("no raw cache") }
        let context = ZstdFrame.DecompressionContext()
        var total = 0
        for _ in 0..<passes {
            for index in fixture.images.indices {
                total &+= try profileRawFetch(raw, key: fixture.keys[index], digest: fixture.digests[index], context: context)
                total &+= try profileJPEGDecode(fixture.jpegs[index])
            }
        }
        print("profiled \(passes) passes over \(fixture.images.count) images (sink \(total))")
    }

    @inline(never)
    static func profileRawFetch(_ cache: CacheFixture.Cache, key: String, digest: SourceDigest,
                                context: ZstdFrame.DecompressionContext) throws -> Int {
        guard let sample = cache.store.lookup(key: key, sourceDigest: digest, fingerprint: cache.fingerprint) else {
            throw BenchmarkFailure("miss")
        }
        return try cache.store.image(sample, at: 0, context: context).pixels.count
    }

    @inline(never)
    static func profileJPEGDecode(_ bytes: [UInt8]) throws -> Int {
        try ImageDecoder.decode(bytes).pixels.count
    }
}
