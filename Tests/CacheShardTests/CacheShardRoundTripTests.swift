import CacheShard
import Foundation
import Testing
import TestSupport

@Suite("Cache shard round trips")
struct CacheShardRoundTripTests {
    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256.digest([UInt8]()).description == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.digest(Array("abc".utf8)).description == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array(repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.digest(long).description == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        var incremental = SHA256()
        for chunk in stride(from: 0, to: long.count, by: 777) {
            long[chunk..<min(long.count, chunk + 777)].withUnsafeBytes { incremental.update($0) }
        }
        #expect(incremental.finalize() == SHA256.digest(long))
    }

    @Test func everyCodecRoundTrips() throws {
        let directory = try TemporaryDirectory()
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47] + Array(repeating: 7, count: 100)
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF] + Array(repeating: 9, count: 200)
        let variants = [
            CacheVariant(width: 4, height: 2, channels: 3, codec: .raw, seed: 1, score: 0.25, payload: Array(0..<24)),
            CacheVariant(width: 4, height: 2, channels: 1, codec: .raw, seed: 2, payload: Array(0..<8)),
            CacheVariant(width: 64, height: 64, channels: 4, codec: .png, seed: 3, score: -1.5, payload: png),
            CacheVariant(width: 640, height: 480, channels: 3, codec: .jpeg(quality: 95), seed: UInt64.max, payload: jpeg),
        ]
        let record = CacheRecord(key: "ünïcode/key with spaces.jpg", sourceDigest: CacheFixtures.digest(1),
                                 fingerprint: "sha256:abc", provenanceJSON: #"{"prompt":"a photo of a cat, sitting"}"#,
                                 variants: variants)
        let writer = try CacheShardWriter(path: directory.path("shard"))
        let entry = try writer.append(record)
        try writer.close()
        let reader = try CacheShardReader(path: directory.path("shard.sgidc"))
        #expect(reader.index.entries == [entry])
        #expect(try reader.record(of: entry) == record)
        for (index, expected) in variants.enumerated() {
            #expect(try reader.variant(of: entry, at: index) == expected)
        }
        #expect(throws: CacheError.self) { try reader.variant(of: entry, at: 4) }
        #expect(reader.verify().isClean)
    }

    @Test func reopeningAppendsAfterCommittedRecords() throws {
        let directory = try TemporaryDirectory()
        do {
            let writer = try CacheShardWriter(path: directory.path("s"), options: .init(commitEveryRecords: 3))
            for seed in 0..<7 { try writer.append(CacheFixtures.record(seed)) }
            try writer.close()
        }
        let writer = try CacheShardWriter(path: directory.path("s"))
        #expect(writer.recovery.committedRecords == 7)
        #expect(writer.recovery.truncatedBytes == 0 && writer.recovery.recoveredRecords == 0)
        for seed in 7..<10 { try writer.append(CacheFixtures.record(seed)) }
        try writer.close()
        let reader = try CacheShardReader(path: directory.path("s"))
        #expect(reader.index.entries.map(\.key) == (0..<10).map { CacheFixtures.record($0).meta.key })
        for (seed, entry) in reader.index.entries.enumerated() {
            #expect(try reader.record(of: entry) == CacheFixtures.record(seed))
        }
        #expect(reader.verify() == ShardVerification(records: 10, problems: []))
    }

    @Test func aSecondWriterIsRefused() throws {
        let directory = try TemporaryDirectory()
        let first = try CacheShardWriter(path: directory.path("s"))
        do {
            _ = try CacheShardWriter(path: directory.path("s"))
            Issue.record("a second writer opened a locked shard")
        } catch {
            #expect(error.kind == .locked)
            #expect(error.description.contains("another writer holds this shard"))
        }
        try first.close()
    }

    @Test func recordsTheIndexCannotHoldAreRefusedBeforeWriting() throws {
        let directory = try TemporaryDirectory()
        let writer = try CacheShardWriter(path: directory.path("s"))
        var longKey = CacheFixtures.record(1)
        longKey.meta.key = String(repeating: "k", count: 70_000)
        var badProvenance = CacheFixtures.record(2)
        badProvenance.meta.provenanceJSON = "[1, 2]"
        for record in [longKey, badProvenance] {
            do {
                try writer.append(record)
                Issue.record("a record the format cannot hold was written")
            } catch {
                #expect(error.kind == .invalidArgument)
            }
        }
        try writer.append(CacheFixtures.record(3))
        try writer.close()
        let reopened = try CacheShardWriter(path: directory.path("s"))
        #expect(reopened.allEntries.map(\.key) == [CacheFixtures.record(3).meta.key])
        try reopened.close()
    }

    @Test func uncommittedRecordsAreVisibleOnlyAfterCommit() throws {
        let directory = try TemporaryDirectory()
        let writer = try CacheShardWriter(path: directory.path("s"), options: .init(commitEveryRecords: 100, commitInterval: .seconds(3600)))
        try writer.append(CacheFixtures.record(1))
        #expect(try CacheShardReader(path: directory.path("s")).index.entries.isEmpty)
        try writer.commit()
        #expect(try CacheShardReader(path: directory.path("s")).index.entries.count == 1)
        try writer.close()
    }
}

