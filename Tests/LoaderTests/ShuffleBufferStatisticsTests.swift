import Augment
import Foundation
import Loader
import Testing

/// The sharded shuffle's statistics: every sample once, order well mixed, and a start that is not just the first
/// samples (webdataset's issue #62), all deterministic per (seed, epoch).
@Suite("Shuffle buffer statistics")
struct ShuffleBufferStatisticsTests {
    static func order(seed: UInt64, epoch: Int, buffer: Int = 500, initial: Int = 100) throws -> [Int] {
        let dataset = MemoryShardedDataset(shardSizes: [2000])
        let configuration = LoaderConfiguration(batchSize: 100, seed: seed, threads: 2, shuffleBuffer: buffer, shuffleInitial: initial)
        return try allBatches(DataLoader(dataset: dataset, configuration: configuration).epoch(epoch)).flatMap(\.numbers)
    }

    @Test func ordersAreWellMixedDeterministicAndStartWide() throws {
        let order = try Self.order(seed: 1, epoch: 0)
        #expect(order.sorted() == Array(0..<2000))
        #expect(try Self.order(seed: 1, epoch: 0) == order)
        #expect(try Self.order(seed: 1, epoch: 1) != order)
        // Mean displacement: a buffer of 500 moves samples by hundreds of places on average.
        let displacement = order.enumerated().map { abs($0.offset - $0.element) }.reduce(0, +) / order.count
        #expect(displacement > 150, "mean displacement \(displacement)")
        let first = Array(order.prefix(50))
        #expect(first.max()! >= 100, "the first outputs come only from the first \(first.max()!) inputs")
        #expect(Set(first).count == 50)
        // Uniformity of the position of input i within the first 200 outputs: roughly as many early as late inputs.
        let early = order.prefix(200).filter { $0 < 100 }.count
        #expect(early > 15 && early < 120, "\(early) of the first 200 outputs are among the first 100 inputs")
        print("shuffle buffer 500/initial 100 over 2000 samples: mean displacement \(displacement), first 50 outputs reach input \(first.max()!)")
    }

    @Test func withoutShufflingTheOrderIsCanonical() throws {
        let dataset = MemoryShardedDataset(shardSizes: [30, 40])
        let configuration = LoaderConfiguration(batchSize: 10, shuffle: false)
        #expect(try allBatches(DataLoader(dataset: dataset, configuration: configuration).epoch(3)).flatMap(\.numbers) == Array(0..<70))
    }
}
