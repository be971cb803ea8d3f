import BenchmarkSupport
import CacheShard
import Foundation
import GenerationCache

/// Index build time, memory and lookup throughput of `CacheStore` over `records` synthetic records in `shards`
/// shards (one 1×1 raw variant each: the index does not depend on variant size).
struct IndexBenchmark {
    /// Records indexed.
    let records: Int
    /// Shards they are spread over.
    let shards: Int
    /// Seconds to write every shard with `CacheShardWriter` (one commit per shard, no fsync).
    let writeSeconds: Double
    /// Seconds of `CacheStore(directory:)`.
    let buildSeconds: Double
    /// Seconds to open the shards' `CacheShardReader`s alone (part of the build).
    let readersSeconds: Double
    /// `statistics` after the build.
    let statistics: CacheStore.Statistics
    /// Key bytes held by the index (UTF-8 of every key).
    let keyBytes: Int
    /// Growth of RSS (after `malloc_trim`) and of the peak RSS over the build, in bytes.
    let residentGrowth: Int
    let peakGrowth: Int
    /// RSS growth from opening the shards' readers alone (their `ShardIndex.entries`, which `CacheStore` keeps).
    let readersResident: Int
    /// Lookups per second, one thread: hits (random order) and misses (keys absent from the cache).
    let hitsPerSecond: Double
    let missesPerSecond: Double

    /// Writes the shards under `directory`, then measures.
    /// - Parameters:
    ///   - directory: An empty folder.
    ///   - records: How many records.
    ///   - shards: How many shards (writers).
    ///   - lookups: Lookups per timed pass, for hits and for misses.
    ///   - rounds: Timed passes (fastest counts).
    /// - Throws: Cache errors, or `BenchmarkFailure` when a lookup gives a wrong answer.
    init(directory: String, records: Int, shards: Int, lookups: Int, rounds: Int) throws {
        self.records = records
        self.shards = shards
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        writeSeconds = try BenchmarkTimer.once { () throws -> Int in try Self.write(directory, records: records, shards: shards) }.0

        ProcessMemory.trim()
        let resident = ProcessMemory.resident()
        ProcessMemory.resetPeak()
        let (build, store) = try BenchmarkTimer.once { () throws -> CacheStore in try CacheStore(directory: directory) }
        buildSeconds = build
        peakGrowth = ProcessMemory.peak() - resident
        ProcessMemory.trim()
        residentGrowth = ProcessMemory.resident() - resident
        statistics = store.statistics
        keyBytes = records * SyntheticRecords.key(0).utf8.count

        let before = ProcessMemory.resident()
        let (readersTime, readers) = try BenchmarkTimer.once { () throws -> [CacheShardReader] in
            try (0..<shards).map { try CacheShardReader(path: directory + "/" + Self.name($0, of: shards)) }
        }
        readersSeconds = readersTime
        ProcessMemory.trim()
        readersResident = ProcessMemory.resident() - before
        blackHole(readers)

        let hits = Self.queries(count: lookups, in: 0..<records, seed: 1)
        let misses = Self.queries(count: lookups, in: records..<2 * records, seed: 2)
        hitsPerSecond = Double(lookups) / (try Self.timeLookups(store, hits, expectHits: true, rounds: rounds))
        missesPerSecond = Double(lookups) / (try Self.timeLookups(store, misses, expectHits: false, rounds: rounds))
    }

    /// The stem of shard `number`, as `sgid precompute` names them.
    static func name(_ number: Int, of count: Int) -> String {
        let pad = { (value: Int) in String(repeating: "0", count: max(0, 5 - String(value).count)) + String(value) }
        return "rank-\(pad(number))-of-\(pad(count)).sgidc"
    }

    private static func write(_ directory: String, records: Int, shards: Int) throws -> Int {
        let options = CacheShardWriter.Options(commitEveryRecords: records, commitInterval: .seconds(86_400), sync: .never)
        for shard in 0..<shards {
            let writer = try CacheShardWriter(path: directory + "/" + name(shard, of: shards), options: options)
            for index in stride(from: shard, to: records, by: shards) {
                try writer.append(SyntheticRecords.record(index, variants: 1, width: 1, height: 1))
            }
            try writer.close()
        }
        return records
    }

    /// Keys and digests of records drawn at random from `range` (digests as `SyntheticRecords` makes them).
    private static func queries(count: Int, in range: Range<Int>, seed: UInt64) -> [(key: String, digest: SourceDigest)] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let index = range.lowerBound + Int((state >> 33) % UInt64(range.count))
            let key = SyntheticRecords.key(index)
            return (key, SHA256.digest(Array(key.utf8)))
        }
    }

    private static func timeLookups(_ store: CacheStore, _ queries: [(key: String, digest: SourceDigest)],
                                    expectHits: Bool, rounds: Int) throws -> Double {
        let fingerprint = "sha256:synthetic"
        for query in queries.prefix(1000)
        where (store.lookup(key: query.key, sourceDigest: query.digest, fingerprint: fingerprint) != nil) != expectHits {
            throw BenchmarkFailure("lookup of \(query.key) gave the wrong answer")
        }
        return BenchmarkTimer.best(rounds: rounds) { () -> Int in
            var found = 0
            for query in queries where store.lookup(key: query.key, sourceDigest: query.digest, fingerprint: fingerprint) != nil {
                found += 1
            }
            return found
        }
    }
}
