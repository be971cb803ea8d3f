import Augment

/// What a rank reads of a sharded dataset in one epoch.
enum ShardReadingPlan: Sendable {
    /// Its own shards in order: one pass (`limit` nil), or cycling through them until `limit` items.
    case shards([Int], limit: Int?)
    /// The rank's run of the epoch's global stream (`SamplesPerRank.auto`): shards in `order`, cut by their item
    /// `counts` into equal runs (see `EpochOrder.equalSegments`). The counts are read on the producer thread, so the
    /// first epoch's counting pass never blocks the caller.
    case equalRun(order: [Int], counts: ShardSampleCounts)
}

/// Items of a sharded dataset: what the rank's plan says, read sequentially, through the shuffle buffer.
///
/// A resumed epoch reads and shuffles the same items again (without decoding them) and emits only those from
/// `firstSequence` on, so the shard order and the shuffle buffer's state are exactly those of the interrupted run.
struct ShardedProducer<Sharded: ShardedDataset>: ItemProducer {
    let dataset: Sharded
    let plan: ShardReadingPlan
    let configuration: LoaderConfiguration
    let epoch: Int

    func produce(startingAt firstSequence: Int, emit: (WorkItem) -> Bool) -> Int? {
        var sequence = 0
        var buffer = ShuffleBuffer<WorkItem.Source>(
            capacity: configuration.shuffle ? configuration.shuffleBuffer : 1,
            initial: configuration.shuffle ? configuration.shuffleInitial : 0,
            rng: SampleRNG(seed: configuration.seed, epoch: epoch, position: -1 - configuration.rank,
                           stream: EpochOrder.Purpose.shuffleBuffer.rawValue))
        func send(_ source: WorkItem.Source) -> Bool {
            defer { sequence += 1 }
            guard sequence >= firstSequence else { return true }
            let position = sequence * configuration.worldSize + configuration.rank
            return emit(WorkItem(sequence: sequence, position: position, source: source))
        }
        var stopped = false
        // Skip and warn read past a damaged tar header; fail stops at the first error anyway.
        let resynchronizing = configuration.corruptPolicy != .fail
        /// Reads `shards`, passing over the first `skip` items and pushing at most `take`, stopping once `limit` items
        /// were sent; returns whether the shards were read to their end and how many items they gave.
        func read(_ shards: [Int], skip: Int = 0, take: Int = .max, limit: Int = .max) -> (toTheEnd: Bool, items: Int, taken: Int) {
            var items = 0, taken = 0
            let toTheEnd = dataset.readSequentially(shards: shards, resynchronizing: resynchronizing) { result in
                items += 1
                guard items > skip else { return true }
                taken += 1
                let source: WorkItem.Source = switch result {
                case .success(let sample): .sample(sample)
                case .failure(let error): .failure(error)
                }
                if let out = buffer.push(source), !send(out) {
                    stopped = true
                    return false
                }
                return taken < take && sequence < limit
            }
            return (toTheEnd, items, taken)
        }
        var limit = Int.max
        switch plan {
        case .shards(let shards, let fixed):
            limit = fixed ?? .max
            while sequence < limit {
                let pass = read(shards, limit: limit)
                // One pass unless a fixed epoch length asks for more (and the shards are not empty).
                if stopped || !pass.toTheEnd || fixed == nil || pass.items == 0 { break }
            }
        case .equalRun(let order, let counts):
            let segments = EpochOrder.equalSegments(order: order, counts: counts.values, rank: configuration.rank,
                                                    worldSize: configuration.worldSize)
            var short = 0
            for segment in segments where !stopped {
                short += segment.take - read([segment.shard], skip: segment.skip, take: segment.take).taken
            }
            // A shard that gave fewer items than it was counted with (a flaky `pipe:`, a file changed since) would
            // leave this rank short, and data-parallel training waiting on it: the missing items come from the
            // global stream after the rank's run, wrapping, so every rank still yields its equal count.
            if short > 0, let last = segments.last, let start = order.firstIndex(of: last.shard) {
                var position = start + 1
                var emptyInARow = 0
                while short > 0, !stopped, emptyInARow < order.count {
                    let shard = order[position % order.count]
                    let taken = read([shard], take: short).taken
                    short -= taken
                    emptyInARow = taken == 0 ? emptyInARow + 1 : 0
                    position += 1
                }
            }
        }
        if stopped { return nil }
        for out in buffer.drain() where sequence < limit {
            guard send(out) else { return nil }
        }
        return sequence
    }
}
