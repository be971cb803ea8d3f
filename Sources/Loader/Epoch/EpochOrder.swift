import Augment

/// The order of an epoch, derived only from (seed, epoch) and the world: every rank computes the same global order
/// and takes its share, so the union of all ranks is the epoch and no sample is seen twice (except padding).
enum EpochOrder {
    /// Purposes that separate independent random streams of one epoch.
    enum Purpose: UInt64 {
        case indexPermutation = 1
        case shardPermutation = 2
        case shuffleBuffer = 3
        /// Batch augmentation (Mixup/CutMix), per batch number.
        case batchAugmentation = 7
    }

    /// Fisher–Yates permutation of 0 ..< count.
    static func permutation(count: Int, seed: UInt64, epoch: Int, purpose: Purpose, salt: Int = 0) -> [Int] {
        var order = Array(0..<count)
        var rng = SampleRNG(seed: seed, epoch: epoch, position: -1 - salt, stream: purpose.rawValue)
        if count > 1 {
            for index in stride(from: count - 1, to: 0, by: -1) {
                order.swapAt(index, rng.int(in: 0...index))
            }
        }
        return order
    }

    /// This rank's (global position, dataset index) pairs for an indexed dataset.
    /// Positions are indices into the epoch's global order; padding repeats the order from its start.
    static func indexed(count: Int, configuration: LoaderConfiguration, epoch: Int) -> [(position: Int, index: Int)] {
        let order = configuration.shuffle
            ? permutation(count: count, seed: configuration.seed, epoch: epoch, purpose: .indexPermutation)
            : Array(0..<count)
        let world = configuration.worldSize
        let total: Int
        switch configuration.unevenSplit {
        case .pad: total = (count + world - 1) / world * world
        case .drop: total = count / world * world
        case .allow: total = count
        }
        var result: [(Int, Int)] = []
        result.reserveCapacity(total / world + 1)
        var position = configuration.rank
        while position < total {
            result.append((position, order[position % max(count, 1)]))
            position += world
        }
        return count == 0 ? [] : result
    }

    /// This rank's shards (indices into the dataset's shard list) for an epoch: shuffled by (seed, epoch) when
    /// shuffling, then every world-th shard starting at the rank (webdataset's `split_by_node`).
    static func shards(count: Int, configuration: LoaderConfiguration, epoch: Int) throws(LoaderError) -> [Int] {
        guard count >= configuration.worldSize else {
            throw LoaderError(.invalidDataset, "\(count) shard(s) cannot be split across \(configuration.worldSize) ranks: "
                              + "every rank needs at least one shard (make more, smaller shards)")
        }
        let order = configuration.shuffle
            ? permutation(count: count, seed: configuration.seed, epoch: epoch, purpose: .shardPermutation)
            : Array(0..<count)
        return stride(from: configuration.rank, to: count, by: configuration.worldSize).map { order[$0] }
    }
}
