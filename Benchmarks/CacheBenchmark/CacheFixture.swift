import CacheShard
import Foundation
import GenerationCache
import ImageCodec

/// The images written three ways into cache shards (one directory per codec), plus the same JPEG and PNG files in
/// memory and on disk, for the fetch benchmark and the bytes-on-disk table.
struct CacheFixture {
    /// One codec's K = 1 cache.
    struct Cache {
        let codec: StoredCodec
        let store: CacheStore
        let fingerprint: String
        /// Every variant payload before zstd, summed.
        let payloadBytes: Int
    }

    /// The source images.
    let images: [Image]
    /// Each image's key in the caches.
    let keys: [String]
    /// Each image's source digest in the caches.
    let digests: [SourceDigest]
    /// Each image as JPEG q95 and as PNG, in memory.
    let jpegs: [[UInt8]]
    let pngs: [[UInt8]]
    /// The same files on disk, and the raw pixels as uncompressed `.rgb` files.
    let jpegPaths: [String]
    let pngPaths: [String]
    let rgbPaths: [String]
    /// The K = 1 caches.
    let caches: [Cache]

    /// Encodes the images and writes every file and shard under `directory`.
    /// - Parameters:
    ///   - images: 512×512 RGB images.
    ///   - directory: An empty work folder.
    /// - Throws: `BenchmarkFailure` or a codec/cache error.
    init(images: [Image], directory: String) throws {
        self.images = images
        let keys = images.indices.map { "bench/\($0)_0000.png" }
        let digests = keys.map { SHA256.digest(Array($0.utf8)) }
        self.keys = keys
        self.digests = digests
        let jpegs = try images.map { try StoredCodec.jpeg95.payload($0) }
        let pngs = try images.map { try StoredCodec.png.payload($0) }
        self.jpegs = jpegs
        self.pngs = pngs
        let files = directory + "/files"
        try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
        jpegPaths = try images.indices.map { try Self.save(jpegs[$0], to: files + "/\($0).jpg") }
        pngPaths = try images.indices.map { try Self.save(pngs[$0], to: files + "/\($0).png") }
        rgbPaths = try images.indices.map { try Self.save(images[$0].pixels, to: files + "/\($0).rgb") }
        var caches: [Cache] = []
        for codec in StoredCodec.allCases {
            let payloads = try Self.payloads(codec, images: images, jpegs: jpegs, pngs: pngs)
            let cacheDirectory = try Self.writeShard(codec, variantsPerRecord: 1, payloads: payloads, keys: keys,
                                                     digests: digests, under: directory)
            caches.append(Cache(codec: codec, store: try CacheStore(directory: cacheDirectory),
                                fingerprint: Self.fingerprint(codec), payloadBytes: payloads.reduce(0) { $0 + $1.count }))
        }
        self.caches = caches
    }

    /// The generator fingerprint used for a codec's cache.
    static func fingerprint(_ codec: StoredCodec) -> String { "sha256:cachebench-\(codec.slug)" }

    /// Each image's payload for a codec (the JPEG and PNG files already made are reused).
    static func payloads(_ codec: StoredCodec, images: [Image], jpegs: [[UInt8]], pngs: [[UInt8]]) throws -> [[UInt8]] {
        switch codec {
        case .raw: images.map(\.pixels)
        case .png: pngs
        case .jpeg95: jpegs
        }
    }

    /// Writes one shard `DIR/<codec>-k<K>/bench.sgidc`: record r holds images r, r+1, … r+K-1 (mod count).
    /// - Returns: The cache directory.
    static func writeShard(_ codec: StoredCodec, variantsPerRecord: Int, payloads: [[UInt8]], keys: [String],
                           digests: [SourceDigest], under directory: String) throws -> String {
        let cacheDirectory = directory + "/\(codec.slug)-k\(variantsPerRecord)"
        try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        let writer = try CacheShardWriter(path: cacheDirectory + "/bench.sgidc",
                                          options: .init(commitEveryRecords: 1 << 20, sync: .never))
        for record in payloads.indices {
            let variants = (0..<variantsPerRecord).map { number in
                CacheVariant(width: BenchImages.side, height: BenchImages.side, channels: 3, codec: codec.variantCodec,
                             seed: UInt64(1000 * record + number), score: 0.31,
                             payload: payloads[(record + number) % payloads.count])
            }
            try writer.append(CacheRecord(key: keys[record], sourceDigest: digests[record],
                                          fingerprint: fingerprint(codec), provenanceJSON: provenance(record, variantsPerRecord),
                                          variants: variants))
        }
        try writer.close()
        return cacheDirectory
    }

    /// A provenance object of the size `sgid precompute` writes.
    private static func provenance(_ record: Int, _ variants: Int) -> String {
        let list = (0..<variants).map { #"{"seed":\#(1000 * record + $0),"strength":0.5,"guidance":7.5,"score":0.31,"dropped":false}"# }
        return #"{"model":"stabilityai/stable-diffusion-2-1","revision":"5cae40e","prompt":"a photo of a cat","#
            + #""negative_prompt":"blurry","strength":0.5,"guidance":7.5,"steps":30,"scheduler":"ddim","#
            + #""created":1795000000,"variants":[\#(list.joined(separator: ","))]}"#
    }

    private static func save(_ bytes: [UInt8], to path: String) throws -> String {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw BenchmarkFailure("cannot write \(path)")
        }
        return path
    }
}
