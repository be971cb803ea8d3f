import Augment
import Foundation
import Loader
import Testing

/// `SamplesPerRank.auto`, the sharded default: every rank the same number of samples, `ceil(N / W)`, the union every
/// sample, padding repeating the start of the epoch's global stream (as `DistributedSampler` pads).
@Suite("Equal epochs per rank for sharded datasets")
struct EqualRankEpochTests {
    static let shardSizes = [3, 3, 1, 7, 0, 2, 11, 5, 1]

    static func numbers(rank: Int, world: Int, seed: UInt64 = 9, epoch: Int = 0, threads: Int = 2,
                        sizes: [Int] = shardSizes, samplesPerRank: SamplesPerRank = .auto) throws -> [Int] {
        var configuration = LoaderConfiguration(batchSize: 2, seed: seed, rank: rank, worldSize: world, threads: threads,
                                                shuffleBuffer: 6, shuffleInitial: 2)
        configuration.samplesPerRank = samplesPerRank
        return try allBatches(DataLoader(dataset: MemoryShardedDataset(shardSizes: sizes), configuration: configuration)
            .epoch(epoch)).flatMap(\.numbers)
    }

    @Test func theIssuesExampleGivesBothRanksFourSamples() throws {
        let ranks = try (0..<2).map { try Self.numbers(rank: $0, world: 2, sizes: [3, 3, 1]) }
        #expect(ranks.map(\.count) == [4, 4])
        #expect(Set(ranks.flatMap { $0 }) == Set(0..<7))
        let uneven = try (0..<2).map { try Self.numbers(rank: $0, world: 2, sizes: [3, 3, 1], samplesPerRank: .shards) }
        #expect(uneven.map(\.count).sorted() != [4, 4])  // the old split_by_node lengths follow the shards
    }

    @Test(arguments: 2...8)
    func everyRankGetsTheSameCountAndTheUnionIsEverySample(world: Int) throws {
        let total = Self.shardSizes.reduce(0, +)
        let perRank = (total + world - 1) / world
        for epoch in 0..<2 {
            let ranks = try (0..<world).map { try Self.numbers(rank: $0, world: world, epoch: epoch) }
            #expect(ranks.allSatisfy { $0.count == perRank })
            let union = ranks.flatMap { $0 }
            #expect(Set(union) == Set(0..<total))
            // Padding: exactly perRank × world − N samples appear twice.
            #expect(union.count - Set(union).count == perRank * world - total)
        }
    }

    @Test(arguments: [2, 5, 8])
    func deterministicPerSeedWhateverTheThreads(world: Int) throws {
        for rank in [0, world - 1] {
            let reference = try Self.numbers(rank: rank, world: world, threads: 1)
            #expect(try Self.numbers(rank: rank, world: world, threads: 4) == reference)
            #expect(try Self.numbers(rank: rank, world: world, seed: 10, threads: 1) != reference
                    || Self.shardSizes.reduce(0, +) / world < 3)
        }
    }

    @Test func worldSizeOneIsOnePassOverEveryShard() throws {
        let single = try Self.numbers(rank: 0, world: 1)
        #expect(single == (try Self.numbers(rank: 0, world: 1, samplesPerRank: .shards)))
        #expect(single.sorted() == Array(0..<Self.shardSizes.reduce(0, +)))
    }

    @Test func unshuffledRanksAreContiguousRunsOfTheCanonicalStream() throws {
        var configuration = LoaderConfiguration(batchSize: 3, worldSize: 3, shuffle: false)
        var ranks: [[Int]] = []
        for rank in 0..<3 {
            configuration.rank = rank
            ranks.append(try allBatches(DataLoader(dataset: MemoryShardedDataset(shardSizes: [3, 3, 1]),
                                                   configuration: configuration).epoch(0)).flatMap(\.numbers))
        }
        #expect(ranks == [[0, 1, 2], [3, 4, 5], [6, 0, 1]])  // 7 samples, 3 per rank, padded from the start
    }

    @Test func cliSpellings() {
        #expect(SamplesPerRank("auto") == .auto)
        #expect(SamplesPerRank("shards") == .shards)
        #expect(SamplesPerRank("40") == .fixed(40))
        #expect(SamplesPerRank("0") == nil)
        #expect(SamplesPerRank("x") == nil)
    }

    /// A shard that reads shorter than it was counted (a flaky `pipe:`, a file changed since the count) would leave a
    /// rank short and data-parallel training waiting on it: the missing items come from the global stream after the
    /// rank's run, so every rank still yields ceil(N / W).
    @Test func aShardReadingShorterThanCountedLeavesNoRankShort() throws {
        let dataset = ShrinkingShardedDataset(base: MemoryShardedDataset(shardSizes: [9, 4, 13, 1, 7, 6]), shrinking: 2, to: 5)
        for world in [2, 3] {
            var counts: [Int] = []
            for rank in 0..<world {
                let configuration = LoaderConfiguration(batchSize: 1, seed: 3, rank: rank, worldSize: world, threads: 2)
                let batches = try allBatches(try DataLoader(dataset: dataset.fresh(), configuration: configuration).epoch(0))
                counts.append(batches.count)
            }
            #expect(counts == Array(repeating: (40 + world - 1) / world, count: world), "world \(world): \(counts)")
        }
    }
}

/// A sharded dataset one of whose shards gives fewer samples on every open after its first (the counting pass).
final class ShrinkingShardedDataset: ShardedDataset, @unchecked Sendable {
    let base: MemoryShardedDataset
    let shrinking: Int, size: Int
    private let lock = NSLock()
    private var opened = 0

    init(base: MemoryShardedDataset, shrinking: Int, to size: Int) {
        self.base = base
        self.shrinking = shrinking
        self.size = size
    }

    /// The same dataset with its open count reset (each loader counts once).
    func fresh() -> ShrinkingShardedDataset { ShrinkingShardedDataset(base: base, shrinking: shrinking, to: size) }

    var shards: [String] { base.shards }
    var classNames: [String] { base.classNames }

    func open(shard index: Int) throws(LoaderError) -> MemoryShardedDataset.Reader {
        var reader = try base.open(shard: index)
        guard index == shrinking else { return reader }
        lock.lock()
        opened += 1
        let first = opened == 1
        lock.unlock()
        if !first { reader.samples = Array(reader.samples.prefix(size)) }
        return reader
    }
}
