import Augment
import Foundation

/// Streams a dataset through an augmentation pipeline into contiguous, deterministic batches.
///
/// Every random choice derives from (seed, epoch, the sample's position in the epoch's global order), so the same
/// seed gives the same batches bit for bit with any number of threads or prefetch depth, fresh or resumed.
///
/// ```swift
/// let loader = try DataLoader(dataset: try ImageFolderDataset(root: "train"), pipeline: Pipeline {
///     RandomResizedCrop(size: 224)
///     HorizontalFlip()
/// }, configuration: LoaderConfiguration(batchSize: 64, output: .float32NCHW(.imagenet), seed: 42))
/// for try await batch in loader.batches(epoch: 0) { train(batch) }
/// ```
public final class DataLoader: Sendable {
    /// The settings.
    public let configuration: LoaderConfiguration
    /// The augmentation pipeline.
    public let pipeline: Pipeline
    /// Class names of the dataset (empty when unknown).
    public let classNames: [String]
    private let makeProducer: @Sendable (Int) throws(LoaderError) -> any ItemProducer
    private let load: (@Sendable (Int) throws(LoaderError) -> Sample)?
    private let pool: BatchMemoryPool

    /// A loader over an indexed dataset (ImageFolder): a full permutation per epoch, split by samples across ranks.
    /// - Parameters:
    ///   - dataset: The dataset.
    ///   - pipeline: The augmentations (default none).
    ///   - configuration: Batching, ordering, threads, output.
    /// - Throws: `LoaderError.Kind.invalidArgument` for a bad configuration.
    public init<Indexed: IndexedDataset>(dataset: Indexed, pipeline: Pipeline = Pipeline([]),
                                         configuration: LoaderConfiguration) throws(LoaderError) {
        try configuration.validate()
        self.configuration = configuration
        self.pipeline = pipeline
        classNames = dataset.classNames
        let count = dataset.count
        makeProducer = { epoch in IndexedProducer(plan: EpochOrder.indexed(count: count, configuration: configuration, epoch: epoch)) }
        load = { index throws(LoaderError) in try dataset.sample(at: index) }
        pool = BatchMemoryPool(keep: configuration.prefetchBatches + 2)
    }

    /// A loader over a sharded dataset (WebDataset): shards shuffled per epoch, split across ranks as
    /// `configuration.samplesPerRank` says (by default equally, see `SamplesPerRank.auto`), samples mixed through a
    /// shuffle buffer.
    /// - Parameters:
    ///   - dataset: The dataset.
    ///   - pipeline: The augmentations (default none).
    ///   - configuration: Batching, ordering, threads, output.
    /// - Throws: `LoaderError.Kind.invalidArgument` for a bad configuration; `.invalidDataset` when there are fewer
    ///   shards than ranks and the ranks split by shard (`.fixed` or `.shards`).
    public init<Sharded: ShardedDataset>(dataset: Sharded, pipeline: Pipeline = Pipeline([]),
                                         configuration: LoaderConfiguration) throws(LoaderError) {
        try configuration.validate()
        self.configuration = configuration
        self.pipeline = pipeline
        classNames = dataset.classNames
        let plan = ShardPlanner(dataset: dataset, configuration: configuration)
        try plan.validate()
        makeProducer = { epoch throws(LoaderError) in
            ShardedProducer(dataset: dataset, plan: try plan.plan(epoch: epoch), configuration: configuration, epoch: epoch)
        }
        load = nil
        pool = BatchMemoryPool(keep: configuration.prefetchBatches + 2)
    }

    /// Starts an epoch.
    /// - Parameter epoch: The epoch number (orders and augmentations depend on it).
    /// - Returns: The batch iterator.
    /// - Throws: `LoaderError` when the epoch cannot be planned.
    public func epoch(_ epoch: Int) throws(LoaderError) -> EpochIterator {
        try start(epoch: epoch, state: nil)
    }

    /// Resumes an epoch where a saved state left it: yields exactly the batches that were not delivered.
    /// - Parameter state: A state saved from `EpochIterator.state` by a loader with the same configuration.
    /// - Returns: The batch iterator.
    /// - Throws: `.invalidArgument` when the state belongs to another seed, world, batch size, rank split or shuffle
    ///   setting, or holds negative counts.
    public func resume(from state: LoaderState) throws(LoaderError) -> EpochIterator {
        guard state.seed == configuration.seed, state.rank == configuration.rank, state.worldSize == configuration.worldSize,
              state.batchSize == configuration.batchSize,
              state.samplesPerRank.map({ $0 == configuration.samplesPerRank }) ?? true,
              state.shuffle.map({ $0 == configuration.shuffle }) ?? true else {
            throw LoaderError(.invalidArgument, "resume state (seed \(state.seed), rank \(state.rank)/\(state.worldSize), "
                              + "batch \(state.batchSize)\(Self.describe(state.samplesPerRank, state.shuffle))) does not match "
                              + "this loader (seed \(configuration.seed), rank \(configuration.rank)/\(configuration.worldSize), "
                              + "batch \(configuration.batchSize)"
                              + "\(Self.describe(configuration.samplesPerRank, configuration.shuffle)))")
        }
        // A state saved before the split was recorded came from the one-pass split by shard: on several ranks of a
        // sharded dataset, resuming it under another split would land its sample count on other samples.
        if state.samplesPerRank == nil, load == nil, configuration.worldSize > 1, configuration.samplesPerRank != .shards {
            throw LoaderError(.invalidArgument, "resume state predates the recorded rank split: it was saved splitting ranks "
                              + "by shard; resume with samplesPerRank .shards (sgid run --samples-per-rank shards)")
        }
        guard state.epoch >= 0, state.batchesDelivered >= 0, state.samplesConsumed >= 0 else {
            throw LoaderError(.invalidArgument, "resume state has a negative epoch or count (epoch \(state.epoch), "
                              + "\(state.batchesDelivered) batches, \(state.samplesConsumed) samples)")
        }
        return try start(epoch: state.epoch, state: state)
    }

    private static func describe(_ samplesPerRank: SamplesPerRank?, _ shuffle: Bool?) -> String {
        (samplesPerRank.map { ", samples per rank \($0)" } ?? "") + (shuffle.map { $0 ? ", shuffled" : ", unshuffled" } ?? "")
    }

    private func start(epoch: Int, state: LoaderState?) throws(LoaderError) -> EpochIterator {
        let run = EpochRun(producer: try makeProducer(epoch), firstSequence: state?.samplesConsumed ?? 0, load: load,
                           pipeline: pipeline, configuration: configuration, epoch: epoch)
        return EpochIterator(run: run, configuration: configuration,
                             collator: Collator(format: configuration.output, pool: pool), epoch: epoch, startingAt: state)
    }

    /// An epoch as an `AsyncSequence` (`for try await batch in loader.batches(epoch: e)`); blocking work runs on the
    /// loader's own threads, never on the concurrency pool. Task cancellation ends the loop.
    /// - Parameter epoch: The epoch number.
    /// - Returns: The sequence.
    public func batches(epoch: Int) -> EpochBatches { EpochBatches(loader: self, epoch: epoch) }
}

/// One epoch of batches as an `AsyncSequence`.
public struct EpochBatches: AsyncSequence, Sendable {
    /// The elements.
    public typealias Element = Batch
    let loader: DataLoader
    let epoch: Int

    /// Creates the iterator (threads start on the first `next()`).
    /// - Returns: The iterator.
    public func makeAsyncIterator() -> Iterator { Iterator(loader: loader, epoch: epoch) }

    /// Iterates an epoch; releasing it stops the epoch's threads.
    public struct Iterator: AsyncIteratorProtocol {
        let loader: DataLoader
        let epoch: Int
        var iterator: EpochIterator?

        /// The next batch.
        /// - Returns: The batch, or `nil` at the end of the epoch.
        /// - Throws: `LoaderError`, or `CancellationError` when the task is cancelled.
        public mutating func next() async throws -> Batch? {
            try Task.checkCancellation()
            if iterator == nil { iterator = try loader.epoch(epoch) }
            let current = iterator!
            return try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    do {
                        continuation.resume(returning: try current.next())
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
        }
    }
}
