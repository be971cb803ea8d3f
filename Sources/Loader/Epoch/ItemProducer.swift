import Augment

/// Emits this rank's work items of one epoch in sequence order (on the loader's producer thread).
protocol ItemProducer: Sendable {
    /// Emits items whose sequence is at least `firstSequence` (earlier ones are generated but not emitted, so a
    /// resumed epoch sees exactly the same order); stops when `emit` returns `false`.
    /// - Parameters:
    ///   - firstSequence: The first sequence number to emit.
    ///   - emit: Receives each item; returns `false` to stop.
    /// - Returns: The total number of sequence numbers of the epoch (emitted or not) if it ran to the end.
    func produce(startingAt firstSequence: Int, emit: (WorkItem) -> Bool) -> Int?
}

/// Items of an indexed dataset: the rank's share of the epoch's permutation.
struct IndexedProducer: ItemProducer {
    let plan: [(position: Int, index: Int)]

    func produce(startingAt firstSequence: Int, emit: (WorkItem) -> Bool) -> Int? {
        for sequence in firstSequence..<max(firstSequence, plan.count) {
            let entry = plan[sequence]
            guard emit(WorkItem(sequence: sequence, position: entry.position, source: .index(entry.index))) else { return nil }
        }
        return plan.count
    }
}

/// Items of a sharded dataset: the rank's shards in the epoch's order, read sequentially, through the shuffle buffer.
struct ShardedProducer<Dataset: ShardedDataset>: ItemProducer {
    let dataset: Dataset
    let shards: [Int]
    let configuration: LoaderConfiguration
    let epoch: Int

    func produce(startingAt firstSequence: Int, emit: (WorkItem) -> Bool) -> Int? {
        var sequence = 0
        let limit = configuration.samplesPerRank ?? Int.max
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
        reading: while sequence < limit {
            var readThisPass = 0
            for shard in shards {
                var reader: Dataset.Reader
                do {
                    reader = try dataset.open(shard: shard)
                } catch {
                    readThisPass += 1
                    if let out = buffer.push(.failure(error)), !send(out) { return nil }
                    continue
                }
                while true {
                    let source: WorkItem.Source
                    var endOfShard = false
                    do {
                        guard let sample = try reader.next() else { break }
                        source = .sample(sample)
                    } catch {
                        source = .failure(error)
                        endOfShard = error.kind != .invalidSample
                    }
                    readThisPass += 1
                    if let out = buffer.push(source) {
                        guard send(out) else { return nil }
                        if sequence >= limit { break reading }
                    }
                    if endOfShard { break }
                }
            }
            // One pass unless a fixed epoch length asks for more (and the shards are not empty).
            if configuration.samplesPerRank == nil || readThisPass == 0 { break }
        }
        for out in buffer.drain() where sequence < limit {
            guard send(out) else { return nil }
        }
        return sequence
    }
}
