import Augment
import CacheShard
import Foundation
import GenerationCache
import ImageCodec
import Synchronization
import WorkQueues

/// Offline generation into the cache: source → decode and fit → caption (batched) → prompt → generate (batched,
/// spread over the generator's workers) → encode → write. Stages run on their own threads joined by bounded queues,
/// so the generator is fed while earlier batches are captioned and later ones written. Resumable: samples whose
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
        /// Whether the run was interrupted (Ctrl-C) before the end.
        public var interrupted = false
        /// Wall-clock seconds.
        public var seconds = 0.0
    }

    /// The configuration.
    public let configuration: Configuration
    /// The generator.
    public let generator: any ImageGenerator
    /// The captioner, if prompts use captions.
    public let captioner: (any Captioner)?
    /// Class names for label text.
    public let classNames: [String]
    /// The cache fingerprint of this run.
    public let fingerprint: String
    private let cancelled = Atomic<Bool>(false)

    /// Prepares a run.
    /// - Parameters:
    ///   - configuration: Settings.
    ///   - generator: The generator.
    ///   - captioner: The captioner, or `nil` (prompts then use labels only unless samples carry captions).
    ///   - classNames: Class names for label text.
    public init(configuration: Configuration, generator: any ImageGenerator, captioner: (any Captioner)?, classNames: [String]) {
        self.configuration = configuration
        self.generator = generator
        self.captioner = captioner
        self.classNames = classNames
        fingerprint = configuration.settings.fingerprint(generator: generator.identity, captioner: captioner?.captionerIdentity)
    }

    /// Asks a running `run` to stop after committing what is done (Ctrl-C).
    public func cancel() { cancelled.store(true, ordering: .relaxed) }

    private enum Item: Sendable {
        case subject(GenerationSubject)
        case failure(key: String, message: String)
    }

    /// Runs the precompute over samples in canonical order; this rank takes every `worldSize`-th one.
    /// - Parameters:
    ///   - forEachSample: Visits the dataset's samples in canonical order (image still encoded); the closure returns
    ///     `false` to stop.
    ///   - progress: Called with (done, skipped) after each written batch.
    /// - Returns: The summary.
    /// - Throws: `CacheError` when the cache cannot be opened or written; generator failures are per sample.
    public func run(forEachSample: ((Sample) -> Bool) throws -> Void,
                    progress: @escaping @Sendable (Summary) -> Void = { _ in }) throws -> Summary {
        let start = ContinuousClock.now
        let settings = configuration.settings
        try FileManager.default.createDirectory(atPath: configuration.cacheDirectory, withIntermediateDirectories: true)
        // Open (and recover) this rank's shard first, so records a crash left complete are seen as cached below.
        let writer = try CacheAppender(path: configuration.cacheDirectory + "/" + configuration.distributed.shardName,
                                       options: configuration.writerOptions)
        let existing = try CacheStore(directory: configuration.cacheDirectory)
        let summary = Mutex(Summary())
        let prepared = BoundedQueue<Item>(capacity: configuration.generateBatch * 4)
        let captioned = BoundedQueue<Item>(capacity: configuration.generateBatch * 4)
        let generated = BoundedQueue<(subject: GenerationSubject, outcome: GenerationPlan.Outcome)>(capacity: configuration.generateBatch * 2)
        let group = DispatchGroup()

        // Caption stage.
        group.enter()
        Thread.detachNewThread { [captioner] in
            defer { captioned.close(); group.leave() }
            while let batch = prepared.popBatch(max: self.configuration.captionBatch) {
                var items = batch
                let needing = items.indices.filter { if case .subject(let s) = items[$0] { return s.caption == nil } else { return false } }
                if let captioner, !needing.isEmpty {
                    let inputs: [(key: String, image: Image)] = needing.map {
                        guard case .subject(let subject) = items[$0] else { preconditionFailure() }
                        return (subject.key, subject.image)
                    }
                    do throws(GeneratorError) {
                        let captions = try captioner.caption(inputs)
                        for (position, index) in needing.enumerated() {
                            guard case .subject(var subject) = items[index] else { continue }
                            switch captions[position] {
                            case .success(let caption): subject.caption = caption; items[index] = .subject(subject)
                            case .failure(let error): items[index] = .failure(key: subject.key, message: error.description)
                            }
                        }
                    } catch {
                        for index in needing {
                            if case .subject(let subject) = items[index] { items[index] = .failure(key: subject.key, message: error.description) }
                        }
                    }
                }
                for item in items { captioned.push(item) }
            }
        }
        // Generate stage: one feeder thread per generator worker, each taking its own batch as soon as it is free,
        // so no worker waits for the slowest of a shared batch.
        let feeders = max(1, generator.parallelism)
        let perFeeder = max(1, configuration.generateBatch / feeders)
        let feedersLeft = Atomic<Int>(feeders)
        for _ in 0..<feeders {
            group.enter()
            Thread.detachNewThread { [generator, fingerprint, captioner] in
                defer {
                    if feedersLeft.subtract(1, ordering: .relaxed).newValue == 0 { generated.close() }
                    group.leave()
                }
                while let batch = captioned.popBatch(max: perFeeder) {
                    var subjects: [GenerationSubject] = []
                    for item in batch {
                        switch item {
                        case .subject(let subject): subjects.append(subject)
                        case .failure(let key, let message):
                            summary.withLock { $0.failures[key] = message }
                        }
                    }
                    guard !subjects.isEmpty else { continue }
                    let plans = subjects.map { GenerationPlan.requests(for: $0, settings: settings) }
                    let requests = plans.flatMap { $0.map(\.request) }
                    let results: [GenerationResult]
                    do throws(GeneratorError) {
                        results = try generator.generate(requests)
                    } catch {
                        for subject in subjects { generated.push((subject, GenerationPlan.Outcome(record: nil, dropped: 0, error: error))) }
                        continue
                    }
                    var offset = 0
                    for (subject, plan) in zip(subjects, plans) {
                        let mine = Array(results[offset..<offset + plan.count])
                        offset += plan.count
                        let outcome = GenerationPlan.outcome(for: subject, results: mine, settings: settings, fingerprint: fingerprint,
                                                             generator: generator.identity, captioner: captioner?.captionerIdentity)
                        generated.push((subject, outcome))
                    }
                }
            }
        }
        // Writer stage (on a thread so this thread can read the source).
        let writeFailure = Mutex<CacheError?>(nil)
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            while let (subject, outcome) = generated.pop() {
                if let record = outcome.record {
                    do throws(CacheError) {
                        try writer.append(record)
                        summary.withLock { $0.generated += 1; $0.droppedVariants += outcome.dropped }
                    } catch {
                        writeFailure.withLock { $0 = error }
                        self.cancel()
                    }
                } else {
                    summary.withLock { $0.failures[subject.key] = outcome.error?.description ?? "no record" }
                }
                progress(summary.withLock { $0 })
            }
        }
        // Source stage: this thread.
        var index = 0
        defer {
            prepared.close()
            group.wait()
        }
        try forEachSample { sample in
            defer { index += 1 }
            guard !self.cancelled.load(ordering: .relaxed) else { return false }
            guard index % self.configuration.distributed.worldSize == self.configuration.distributed.rank else { return true }
            summary.withLock { $0.seen += 1 }
            guard case .encoded(let bytes) = sample.image else {
                prepared.push(.failure(key: sample.key, message: "sample image is not encoded"))
                return true
            }
            let digest = SHA256.digest(bytes)
            if existing.lookup(key: sample.key, sourceDigest: digest, fingerprint: self.fingerprint) != nil {
                summary.withLock { $0.skipped += 1 }
                progress(summary.withLock { $0 })
                return true
            }
            prepared.push(Self.prepare(sample, digest: digest, settings: settings, classNames: self.classNames))
            return true
        }
        prepared.close()
        group.wait()
        try writer.close()
        if let failure = writeFailure.withLock({ $0 }) { throw failure }
        var result = summary.withLock { $0 }
        result.interrupted = cancelled.load(ordering: .relaxed)
        let elapsed = ContinuousClock.now - start
        result.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return result
    }

    private static func prepare(_ sample: Sample, digest: SourceDigest, settings: GenerationSettings, classNames: [String]) -> Item {
        guard let label = LabelText.of(sample, classNames: classNames) else {
            return .failure(key: sample.key, message: "sample has no label for the prompt")
        }
        var copy = sample
        copy.decodeOptions.mode = .rgb
        do {
            let image = try copy.pixels()
            return .subject(GenerationSubject(key: sample.key, sourceDigest: digest, label: label, caption: sample.caption,
                                              image: GenerationSubject.fit(image, to: settings.size)))
        } catch {
            return .failure(key: sample.key, message: error.description)
        }
    }
}
