import Augment
import Foundation
import Loader
import Testing

/// Resuming a sharded epoch (shard shuffle + shuffle buffer) from a saved `LoaderState`: exactly the remaining batches,
/// bit for bit, whatever the thread count of either run.
@Suite("Resuming sharded epochs")
struct ShardedResumeTests {
    static let dataset = MemoryShardedDataset(shardSizes: [9, 4, 13, 1, 7, 6])

    static func loader(threads: Int, rank: Int = 0, world: Int = 1, samplesPerRank: SamplesPerRank = .auto,
                       corruptPolicy: CorruptSamplePolicy = .fail) throws -> DataLoader {
        var configuration = LoaderConfiguration(batchSize: 3, seed: 77, rank: rank, worldSize: world, threads: threads,
                                                prefetchBatches: 2, shuffleBuffer: 8, shuffleInitial: 3)
        configuration.samplesPerRank = samplesPerRank
        configuration.corruptPolicy = corruptPolicy
        return try DataLoader(dataset: dataset, pipeline: Pipeline { RandomTint() }, configuration: configuration)
    }

    @Test(arguments: [(1, SamplesPerRank.auto), (2, .auto), (3, .auto), (2, .fixed(20)), (2, .shards)])
    func aResumedEpochYieldsExactlyTheRemainingBatches(world: Int, samplesPerRank: SamplesPerRank) throws {
        for rank in Set([0, world - 1]) {
            let full = try allBatches(Self.loader(threads: 1, rank: rank, world: world, samplesPerRank: samplesPerRank).epoch(4))
                .map(\.fingerprint)
            #expect(full.count > 2)
            for stopAfter in [0, 1, full.count / 2, full.count] {
                let iterator = try Self.loader(threads: 4, rank: rank, world: world, samplesPerRank: samplesPerRank).epoch(4)
                for _ in 0..<stopAfter { _ = try iterator.next() }
                let state = try JSONDecoder().decode(LoaderState.self, from: JSONEncoder().encode(iterator.state))
                let resumed = try allBatches(Self.loader(threads: 2, rank: rank, world: world, samplesPerRank: samplesPerRank)
                    .resume(from: state))
                #expect(resumed.map(\.fingerprint) == Array(full[stopAfter...]))
            }
        }
    }

    @Test func aStateFromAnotherSplitIsRefused() throws {
        let iterator = try Self.loader(threads: 1, world: 2).epoch(0)
        _ = try iterator.next()
        #expect(throws: LoaderError.self) { try Self.loader(threads: 1, world: 2, samplesPerRank: .shards).resume(from: iterator.state) }
        var negative = iterator.state
        negative.samplesConsumed = -1
        #expect(throws: LoaderError.self) { try Self.loader(threads: 1, world: 2).resume(from: negative) }
        // States saved before the split was recorded came from the split by shard: accepted under it (and at world
        // size 1, where there is no split), refused under another split on several ranks.
        let shardSplit = try Self.loader(threads: 1, world: 2, samplesPerRank: .shards).epoch(0)
        let full = try allBatches(Self.loader(threads: 1, world: 2, samplesPerRank: .shards).epoch(0)).map(\.fingerprint)
        _ = try shardSplit.next()
        var old = shardSplit.state
        old.samplesPerRank = nil
        old.shuffle = nil
        #expect(try allBatches(Self.loader(threads: 1, world: 2, samplesPerRank: .shards).resume(from: old)).map(\.fingerprint)
                == Array(full.dropFirst()))
        #expect(throws: LoaderError.self) { try Self.loader(threads: 1, world: 2).resume(from: old) }
        var single = try Self.loader(threads: 1).epoch(0).state
        single.samplesPerRank = nil
        #expect(try allBatches(Self.loader(threads: 1).resume(from: single)).count > 0)
    }
}
