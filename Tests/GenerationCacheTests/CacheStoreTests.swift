import CacheShard
import Foundation
import GenerationCache
import ImageCodec
import Testing
import TestSupport

@Suite("CacheStore")
struct CacheStoreTests {
    static func write(_ directory: TemporaryDirectory, shard: String, indices: Range<Int>, variants: Int = 2,
                      fingerprint: String = "sha256:synthetic") throws {
        let writer = try CacheShardWriter(path: directory.path(shard), options: .init(commitEveryRecords: 4))
        for index in indices {
            try writer.append(SyntheticRecords.record(index, variants: variants, width: 6, height: 4, fingerprint: fingerprint))
        }
        try writer.close()
    }

    static func digest(_ index: Int) -> SourceDigest { SyntheticRecords.record(index, variants: 1, width: 1, height: 1).meta.sourceDigest }

    @Test func mergesShardsFromManyRanksAndLooksUpByKeyDigestAndFingerprint() throws {
        let directory = try TemporaryDirectory()
        try Self.write(directory, shard: "rank-00000-of-00003", indices: 0..<30)
        try Self.write(directory, shard: "rank-00001-of-00003", indices: 30..<60)
        try Self.write(directory, shard: "rank-00002-of-00003", indices: 55..<90)  // 55..<60 duplicated
        try Self.write(directory, shard: "other-generator", indices: 0..<10, fingerprint: "sha256:other")
        let store = try CacheStore(directory: directory.url.path)
        #expect(store.statistics.shards == 4)
        #expect(store.statistics.records == 100)
        #expect(store.statistics.duplicates == 5)
        #expect(store.statistics.fingerprints == 2)
        for index in 0..<90 {
            let sample = try #require(store.lookup(key: SyntheticRecords.key(index), sourceDigest: Self.digest(index),
                                                   fingerprint: "sha256:synthetic"))
            #expect(sample.variantCount == 2)
            let expected = SyntheticRecords.record(index, variants: 2, width: 6, height: 4).variants[1]
            let image = try store.image(sample, at: 1)
            #expect(image == Image(width: 6, height: 4, channels: 3, pixels: expected.payload))
        }
        // A changed source image, another generator, or an unknown key all miss.
        #expect(store.lookup(key: SyntheticRecords.key(3), sourceDigest: Self.digest(4), fingerprint: "sha256:synthetic") == nil)
        #expect(store.lookup(key: SyntheticRecords.key(3), sourceDigest: Self.digest(3), fingerprint: "sha256:nope") == nil)
        #expect(store.lookup(key: SyntheticRecords.key(20), sourceDigest: Self.digest(20), fingerprint: "sha256:other") == nil)
        #expect(store.lookup(key: SyntheticRecords.key(5), sourceDigest: Self.digest(5), fingerprint: "sha256:other") != nil)
        #expect(store.lookup(key: "missing", sourceDigest: Self.digest(1), fingerprint: "sha256:synthetic") == nil)
    }

    @Test func refreshPicksUpNewlyCommittedRecordsAndShards() throws {
        let directory = try TemporaryDirectory()
        try Self.write(directory, shard: "a", indices: 0..<5)
        let store = try CacheStore(directory: directory.url.path)
        let writer = try CacheShardWriter(path: directory.path("a"), options: .init(commitEveryRecords: 1000, commitInterval: .seconds(3600)))
        try writer.append(SyntheticRecords.record(5, variants: 2, width: 6, height: 4))
        try store.refresh()
        #expect(store.statistics.records == 5)  // appended, not committed
        try writer.commit()
        try Self.write(directory, shard: "b", indices: 6..<9)
        #expect(store.lookup(key: SyntheticRecords.key(5), sourceDigest: Self.digest(5), fingerprint: "sha256:synthetic") == nil)
        try store.refresh()
        #expect(store.statistics.records == 9)
        #expect(store.lookup(key: SyntheticRecords.key(5), sourceDigest: Self.digest(5), fingerprint: "sha256:synthetic") != nil)
        #expect(store.lookup(key: SyntheticRecords.key(8), sourceDigest: Self.digest(8), fingerprint: "sha256:synthetic") != nil)
        try writer.close()
    }

    @Test func encodedVariantsDecodeToPixels() throws {
        let directory = try TemporaryDirectory()
        var original = Image(width: 33, height: 17, channels: 3)
        for y in 0..<17 { for x in 0..<33 { for c in 0..<3 { original[x, y, c] = UInt8((x * 7 + y * 3 + c * 50) % 256) } } }
        let png = try PNGEncoder.encode(original)
        let jpeg = try JPEGEncoder.encode(original, quality: 95)
        let digest = SHA256.digest(png)
        let writer = try CacheShardWriter(path: directory.path("s"))
        try writer.append(CacheRecord(key: "k", sourceDigest: digest, fingerprint: "f", variants: [
            CacheVariant(width: 33, height: 17, channels: 3, codec: .png, seed: 1, payload: png),
            CacheVariant(width: 33, height: 17, channels: 3, codec: .jpeg(quality: 95), seed: 2, payload: jpeg),
            CacheVariant(width: 32, height: 17, channels: 3, codec: .png, seed: 3, payload: png),  // lies about its size
        ]))
        try writer.close()
        let store = try CacheStore(directory: directory.url.path)
        let sample = try #require(store.lookup(key: "k", sourceDigest: digest, fingerprint: "f"))
        #expect(try store.image(sample, at: 0) == original)
        #expect(try store.image(sample, at: 1) == ImageDecoder.decode(jpeg))
        #expect(throws: CacheError.self) { try store.image(sample, at: 2) }
        #expect(throws: CacheError.self) { try store.image(sample, at: 3) }
    }

    @Test func concurrentLookupsAndReadsAgree() async throws {
        let directory = try TemporaryDirectory()
        try Self.write(directory, shard: "s", indices: 0..<200)
        let store = try CacheStore(directory: directory.url.path)
        let hits = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    let context = ZstdFrame.DecompressionContext()
                    var hits = 0
                    for index in stride(from: worker, to: 200, by: 4) {
                        guard let sample = store.lookup(key: SyntheticRecords.key(index), sourceDigest: Self.digest(index),
                                                        fingerprint: "sha256:synthetic") else { continue }
                        let variant = try store.variant(sample, at: index % 2, context: context)
                        if variant.payload == SyntheticRecords.record(index, variants: 2, width: 6, height: 4).variants[index % 2].payload {
                            hits += 1
                        }
                    }
                    return hits
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(hits == 200)
    }

    @Test func indexStaysWithin64BytesPerRecordPlusKeys() throws {
        let directory = try TemporaryDirectory()
        try Self.write(directory, shard: "s", indices: 0..<5000, variants: 1)
        let store = try CacheStore(directory: directory.url.path)
        let keyBytes = (0..<5000).reduce(0) { $0 + SyntheticRecords.key($1).utf8.count }
        let perRecord = Double(store.statistics.indexBytes - keyBytes) / 5000
        print("CacheStore index: \(String(format: "%.1f", perRecord)) bytes per record plus keys")
        #expect(perRecord <= 64)
    }
}
