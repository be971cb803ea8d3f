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
