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
struct ShardedProducer<Sharded: ShardedDataset>: ItemProducer {
    let dataset: Sharded
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
        var stopped = false
        while sequence < limit {
            var readThisPass = 0
            // Skip and warn read past a damaged tar header; fail stops at the first error anyway.
            let resynchronizing = configuration.corruptPolicy != .fail
            let readToTheEnd = dataset.readSequentially(shards: shards, resynchronizing: resynchronizing) { result in
                readThisPass += 1
                let source: WorkItem.Source = switch result {
                case .success(let sample): .sample(sample)
                case .failure(let error): .failure(error)
                }
                guard let out = buffer.push(source) else { return true }
                guard send(out) else {
                    stopped = true
                    return false
                }
                return sequence < limit
            }
            if stopped { return nil }
            // One pass unless a fixed epoch length asks for more (and the shards are not empty).
            if !readToTheEnd || configuration.samplesPerRank == nil || readThisPass == 0 { break }
        }
        for out in buffer.drain() where sequence < limit {
            guard send(out) else { return nil }
        }
        return sequence
    }
}
