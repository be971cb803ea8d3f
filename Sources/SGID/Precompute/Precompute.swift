import Augment
import CacheShard
import Foundation
import GenerationCache
import ImageCodec
import Loader
import Synchronization
import WorkQueues

/// Offline generation into the cache, in five stages joined by bounded queues, each on its own threads so the
/// generator is fed while earlier batches are captioned and later ones scored and written: read/decode
/// (`ReadStage`) → caption (`CaptionStage`) → generate (`GenerateStage`, one thread per generator instance) →
/// score and regenerate under the threshold (`ScoreStage`) → write (`WriteStage`). Resumable: samples whose
/// (key, source digest, fingerprint) is already in the cache are skipped.
public final class Precompute: Sendable {
    /// Settings of a run.
    public struct Configuration: Sendable {
        /// The cache directory.
        public var cacheDirectory: String
        /// Generation settings.
        public var settings: GenerationSettings
        /// This process's share.
        public var distributed: DistributedEnvironment
        /// Subjects per caption call.
        public var captionBatch: Int
        /// Subjects per generate call (the generator spreads them over its workers).
        public var generateBatch: Int
        /// Commit and durability of the writer.
        public var writerOptions: CacheShardWriter.Options

        /// Creates a configuration.
        /// - Parameters:
        ///   - cacheDirectory: The cache directory.
        ///   - settings: Generation settings.
        ///   - distributed: Rank and world size.
        ///   - captionBatch: Subjects per caption call (default 16).
        ///   - generateBatch: Subjects per generate call (default 8).
        ///   - writerOptions: Writer settings.
        public init(cacheDirectory: String, settings: GenerationSettings,
                    distributed: DistributedEnvironment = DistributedEnvironment(rank: 0, worldSize: 1, origin: "default"),
                    captionBatch: Int = 16, generateBatch: Int = 8, writerOptions: CacheShardWriter.Options = .init()) {
            self.cacheDirectory = cacheDirectory
            self.settings = settings
            self.distributed = distributed
            self.captionBatch = max(1, captionBatch)
            self.generateBatch = max(1, generateBatch)
            self.writerOptions = writerOptions
        }
    }

    /// What a run did.
    public struct Summary: Sendable, Codable, Hashable {
        /// Samples of this rank's share seen.
        public var seen = 0
        /// Records generated and written.
        public var generated = 0
        /// Samples already in the cache under the same fingerprint and digest.
        public var skipped = 0
        /// Variants dropped by the consistency filter.
        public var droppedVariants = 0
        /// Failed samples: key and reason.
        public var failures: [String: String] = [:]
        /// Whether the run was interrupted (Ctrl-C, SIGTERM) before the end.
        public var interrupted = false
        /// Damage that opening this rank's shard stepped over (kept in place, never deleted), one line each.
        public var cacheDamage: [String] = []
        /// Wall-clock seconds.
        public var seconds = 0.0
    }

    /// The configuration.
    public let configuration: Configuration
    /// The generator.
    public let generator: any ImageGenerator
    /// The captioner, if prompts use captions.
    public let captioner: (any Captioner)?
    /// The consistency scorer, if variants are scored.
    public let scorer: (any ConsistencyScorer)?
    /// Class names for label text.
    public let classNames: [String]
    /// The cache fingerprint of this run.
    public let fingerprint: String
    private let stopRequest = StopRequest()

    /// Prepares a run.
    /// - Parameters:
    ///   - configuration: Settings.
    ///   - generator: The generator.
    ///   - captioner: The captioner, or `nil` (prompts then use labels only unless samples carry captions).
    ///   - scorer: The consistency scorer, or `nil` (no scores, no filter, no similarity-driven guidance).
    ///   - classNames: Class names for label text.
    public init(configuration: Configuration, generator: any ImageGenerator, captioner: (any Captioner)?,
                scorer: (any ConsistencyScorer)? = nil, classNames: [String]) {
        self.configuration = configuration
        self.generator = generator
        self.captioner = captioner
        self.scorer = scorer
        self.classNames = classNames
        fingerprint = configuration.settings.fingerprint(generator: generator.identity, captioner: captioner?.captionerIdentity)
    }

    /// Asks a running `run` to stop reading, finish the samples under way and commit them (Ctrl-C).
    public func cancel() { stopRequest.stop() }

    /// Asks a running `run` to stop now (SIGTERM): it stops reading, abandons the samples queued between stages and
    /// stops the generator (`ImageGenerator.terminate()`: the worker backend sends its workers SIGTERM), then commits
    /// the records already generated. Abandoned samples, and those the stopped generator failed, are not failures:
    /// the next run generates them.
    public func terminate() {
        stopRequest.abandon()
        generator.terminate()
    }

    /// Runs the precompute over a dataset in canonical order; this rank takes every `worldSize`-th sample.
    /// - Parameters:
    ///   - dataset: The source.
    ///   - progress: Called with the counts whenever they change.
    /// - Returns: The summary.
    /// - Throws: `CacheError` when the cache cannot be opened or written, `LoaderError` when the source cannot be
    ///   read; generator failures are per sample (in the summary).
    public func run(_ dataset: Dataset, progress: @escaping @Sendable (Summary) -> Void = { _ in }) throws -> Summary {
        let start = ContinuousClock.now
        let settings = configuration.settings
        try FileManager.default.createDirectory(atPath: configuration.cacheDirectory, withIntermediateDirectories: true)
        // Open (and recover) this rank's shard first, so records a crash left complete are seen as cached below.
        let writer = try CacheAppender(path: configuration.cacheDirectory + "/" + configuration.distributed.shardName,
                                       options: configuration.writerOptions)
        let existing = try CacheStore(directory: configuration.cacheDirectory)
        let state = PrecomputeRunState(stopRequest: stopRequest, progress: progress)
        let batch = configuration.generateBatch
        let prepared = BoundedQueue<PrecomputeItem>(capacity: batch * 4)
        let captioned = BoundedQueue<PrecomputeItem>(capacity: batch * 4)
        let generated = BoundedQueue<SubjectGeneration>(capacity: batch * 2)
        let scored = BoundedQueue<(key: String, outcome: GenerationPlan.Outcome)>(capacity: batch * 2)
        let instances = max(1, generator.parallelism)
        let group = DispatchGroup()
        func stage(threads: Int = 1, closing output: @escaping @Sendable () -> Void, _ work: @escaping @Sendable () -> Void) {
            let left = Atomic<Int>(threads)
            for _ in 0..<threads {
                group.enter()
                Thread.detachNewThread {
                    work()
                    if left.subtract(1, ordering: .relaxed).newValue == 0 { output() }
                    group.leave()
                }
            }
        }
        let caption = CaptionStage(captioner: captioner, batch: configuration.captionBatch)
        stage(closing: { captioned.close() }) { caption.run(from: prepared, into: captioned, state: state) }
        let generate = GenerateStage(settings: settings, generator: generator, scorer: scorer, batch: max(1, batch / instances))
        stage(threads: instances, closing: { generated.close() }) { generate.run(from: captioned, into: generated, state: state) }
        let score = ScoreStage(settings: settings, generator: generator, scorer: scorer, fingerprint: fingerprint,
                               captioner: captioner?.captionerIdentity)
        stage(threads: instances, closing: { scored.close() }) { score.run(from: generated, into: scored) }
        let write = WriteStage(writer: writer)
        stage(closing: {}) { write.run(from: scored, state: state) }
        let read = ReadStage(configuration: configuration, fingerprint: fingerprint, classNames: classNames,
                             capabilities: generator.capabilities, existing: existing)
        var readFailure: LoaderError?
        do throws(LoaderError) {
            try read.run(dataset, into: prepared, state: state)
        } catch {
            readFailure = error
        }
        prepared.close()
        group.wait()
        try writer.close()
        if let failure = state.writeFailure.withLock({ $0 }) { throw failure }
        if let readFailure { throw readFailure }
        var result = state.summary.withLock { $0 }
        result.interrupted = stopRequest.isStopped
        result.cacheDamage = writer.recovery.damaged.map(\.description)
        let elapsed = ContinuousClock.now - start
        result.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return result
    }
}
