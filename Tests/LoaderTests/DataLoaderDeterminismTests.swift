import Augment
import Foundation
import Loader
import Testing

@Suite("DataLoader determinism, splitting and resume")
struct DataLoaderDeterminismTests {
    static let dataset = MemoryIndexedDataset(count: 103)

    static func loader(threads: Int, prefetch: Int = 4, seed: UInt64 = 42, rank: Int = 0, world: Int = 1,
                       uneven: LoaderConfiguration.UnevenSplit = .pad, batch: Int = 10) throws -> DataLoader {
        try DataLoader(dataset: dataset, pipeline: Pipeline { RandomTint() },
                       configuration: LoaderConfiguration(batchSize: batch, seed: seed, rank: rank, worldSize: world,
                                                          threads: threads, prefetchBatches: prefetch, unevenSplit: uneven))
    }

    @Test func sameSeedGivesIdenticalBatchesForAnyThreadCountAndPrefetch() throws {
        let reference = try allBatches(Self.loader(threads: 1).epoch(3)).map(\.fingerprint)
        #expect(reference.count == 11)
        for (threads, prefetch) in [(2, 1), (8, 4), (8, 1), (3, 7)] {
            #expect(try allBatches(Self.loader(threads: threads, prefetch: prefetch).epoch(3)).map(\.fingerprint) == reference)
        }
        #expect(try allBatches(Self.loader(threads: 2).epoch(4)).map(\.fingerprint) != reference)
        #expect(try allBatches(Self.loader(threads: 2, seed: 43).epoch(3)).map(\.fingerprint) != reference)
    }

    @Test func everySampleOnceAndTheOrderChangesPerEpoch() throws {
        let loader = try Self.loader(threads: 2)
        let first = try allBatches(loader.epoch(0)).flatMap(\.numbers)
        let second = try allBatches(loader.epoch(1)).flatMap(\.numbers)
        #expect(first.sorted() == Array(0..<103))
        #expect(second.sorted() == Array(0..<103))
        #expect(first != second)
        #expect(first != Array(0..<103))
    }

    @Test(arguments: [LoaderConfiguration.UnevenSplit.pad, .drop, .allow])
    func ranksPartitionTheEpoch(uneven: LoaderConfiguration.UnevenSplit) throws {
        var perRank: [[Int]] = []
        for rank in 0..<4 {
            perRank.append(try allBatches(Self.loader(threads: 2, rank: rank, world: 4, uneven: uneven).epoch(2)).flatMap(\.numbers))
        }
        let union = perRank.flatMap { $0 }
        switch uneven {
        case .pad:
            #expect(Set(perRank.map(\.count)) == [26])
            #expect(Set(union) == Set(0..<103))
            #expect(union.count == 104)  // one sample repeated to even the ranks
        case .drop:
            #expect(Set(perRank.map(\.count)) == [25])
            #expect(Set(union).count == 100)
        case .allow:
            #expect(union.sorted() == Array(0..<103))
        }
        // The global order is the same for every world size: rank r holds positions r, r+4, …
        let single = try allBatches(Self.loader(threads: 1, uneven: uneven).epoch(2)).flatMap(\.numbers)
        for (rank, numbers) in perRank.enumerated() {
            for (index, number) in numbers.enumerated() where rank + 4 * index < 103 {
                #expect(number == single[rank + 4 * index])
            }
        }
    }

    @Test func resumingFromASavedStateYieldsExactlyTheRemainingBatches() throws {
        let full = try allBatches(Self.loader(threads: 2).epoch(5)).map(\.fingerprint)
        for stopAfter in [0, 1, 4, 10, 11] {
            let iterator = try Self.loader(threads: 2).epoch(5)
            for _ in 0..<stopAfter { _ = try iterator.next() }
            let saved = try JSONEncoder().encode(iterator.state)
            let state = try JSONDecoder().decode(LoaderState.self, from: saved)
            #expect(state.batchesDelivered == stopAfter)
            let resumed = try allBatches(Self.loader(threads: 3).resume(from: state))
            #expect(resumed.map(\.fingerprint) == Array(full[stopAfter...]))
            #expect(resumed.first.map(\.index) ?? stopAfter == stopAfter)
        }
        let foreign = LoaderState(epoch: 5, batchesDelivered: 1, samplesConsumed: 10, seed: 7, rank: 0, worldSize: 1, batchSize: 10)
        #expect(throws: LoaderError.self) { try Self.loader(threads: 1).resume(from: foreign) }
    }

    @Test func unshuffledOrderIsCanonical() throws {
        let loader = try DataLoader(dataset: Self.dataset, configuration: LoaderConfiguration(batchSize: 16, shuffle: false, dropLast: true))
        let numbers = try allBatches(loader.epoch(0)).flatMap(\.numbers)
        #expect(numbers == Array(0..<96))
    }
}
