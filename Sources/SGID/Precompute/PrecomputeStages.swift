import Augment
import CacheShard
import Foundation
import GenerationCache
import ImageCodec
import Loader
import Synchronization
import WorkQueues

/// What flows between the precompute stages before generation: a prepared subject, or a sample that failed early.
enum PrecomputeItem: Sendable {
    case subject(GenerationSubject)
    case failure(key: String, message: String)
}

/// A request to stop, set from any thread (Ctrl-C, SIGTERM, a failed cache write) and read by the stages: stop
/// reading and finish what is under way, or also abandon the samples queued between stages (SIGTERM).
final class StopRequest: Sendable {
    private let flag = Atomic<Bool>(false)
    private let abandonFlag = Atomic<Bool>(false)

    /// Stop reading; what is queued is still generated and written.
    func stop() { flag.store(true, ordering: .relaxed) }

    /// Stop reading and abandon what is queued (left for a later run); records already generated are still written.
    func abandon() {
        abandonFlag.store(true, ordering: .relaxed)
        flag.store(true, ordering: .relaxed)
    }

    var isStopped: Bool { flag.load(ordering: .relaxed) }

    var isAbandoned: Bool { abandonFlag.load(ordering: .relaxed) }
}

/// What every stage of one run shares: the counts, the stop request, a cache write failure.
final class PrecomputeRunState: Sendable {
    let summary = Mutex(Precompute.Summary())
    let stopRequest: StopRequest
    let writeFailure = Mutex<CacheError?>(nil)
    let progress: @Sendable (Precompute.Summary) -> Void

    init(stopRequest: StopRequest, progress: @escaping @Sendable (Precompute.Summary) -> Void) {
        self.stopRequest = stopRequest
        self.progress = progress
    }

    func record(_ change: (inout Precompute.Summary) -> Void) {
        let now = summary.withLock { value in
            change(&value)
            return value
        }
        progress(now)
    }

    /// Records a failed sample, unless the run is being abandoned: what fails then (a generator stopped under it) is
    /// left for a later run, like what was never started.
    func fail(_ key: String, _ message: String) {
        guard !stopRequest.isAbandoned else { return }
        record { $0.failures[key] = message }
    }
}

/// Stage 1, read/decode (on the caller's thread): the dataset in canonical order, this rank's share, skipping
/// samples cached under the run's fingerprint and source digest, each other one decoded and prepared.
struct ReadStage {
    let configuration: Precompute.Configuration
    let fingerprint: String
    let classNames: [String]
    let capabilities: GeneratorCapabilities
    let existing: CacheStore

    func run(_ dataset: Dataset, into prepared: BoundedQueue<PrecomputeItem>, state: PrecomputeRunState) throws(LoaderError) {
        var index = 0
        var failure: LoaderError?
        dataset.forEachSample { result in
            defer { index += 1 }
            guard !state.stopRequest.isStopped else { return false }
            guard index % configuration.distributed.worldSize == configuration.distributed.rank else { return true }
            let sample: Sample
            switch result {
            case .success(let read): sample = read
            case .failure(let error):
                failure = error
                return false
            }
            state.record { $0.seen += 1 }
            guard case .encoded(let bytes) = sample.image else {
                prepared.push(.failure(key: sample.key, message: "sample image is not encoded"))
                return true
            }
            let digest = SHA256.digest(bytes)
            if existing.lookup(key: sample.key, sourceDigest: digest, fingerprint: fingerprint) != nil {
                state.record { $0.skipped += 1 }
                return true
            }
            do throws(GeneratorError) {
                prepared.push(.subject(try GenerationSubject(preparing: sample, digest: digest, settings: configuration.settings,
                                                             classNames: classNames, capabilities: capabilities)))
            } catch {
                prepared.push(.failure(key: sample.key, message: error.description))
            }
            return true
        }
        if let failure { throw failure }
    }
}

/// Stage 2, caption: subjects without a caption are captioned in batches (when the prompt uses captions and the
/// plugin has a captioner). Once the run is abandoned, queued subjects are dropped.
struct CaptionStage {
    let captioner: (any Captioner)?
    let batch: Int

    func run(from prepared: BoundedQueue<PrecomputeItem>, into captioned: BoundedQueue<PrecomputeItem>, state: PrecomputeRunState) {
        while var items = prepared.popBatch(max: batch) {
            guard !state.stopRequest.isAbandoned else { continue }
            let needing = items.indices.filter { if case .subject(let subject) = items[$0] { subject.caption == nil } else { false } }
            if let captioner, !needing.isEmpty {
                let inputs: [(key: String, image: Image)] = needing.map {
                    guard case .subject(let subject) = items[$0] else { preconditionFailure("filtered above") }
                    return (subject.key, subject.image)
                }
                do throws(GeneratorError) {
                    let captions = try captioner.caption(inputs)
                    for (position, index) in needing.enumerated() {
                        guard case .subject(var subject) = items[index] else { continue }
                        switch captions[position] {
                        case .success(let caption):
                            subject.caption = caption
                            items[index] = .subject(subject)
                        case .failure(let error):
                            items[index] = .failure(key: subject.key, message: error.description)
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
}

/// Stage 3, generate (one thread per generator instance, each taking its own batch as soon as it is free, so no
/// instance waits for the slowest of a shared batch): guidance, then the first attempt of every variant. Once the run
/// is abandoned, queued subjects are dropped.
struct GenerateStage {
    let settings: GenerationSettings
    let generator: any ImageGenerator
    let scorer: (any ConsistencyScorer)?
    let batch: Int

    func run(from captioned: BoundedQueue<PrecomputeItem>, into generated: BoundedQueue<SubjectGeneration>, state: PrecomputeRunState) {
        while let items = captioned.popBatch(max: batch) {
            guard !state.stopRequest.isAbandoned else { continue }
            var subjects: [GenerationSubject] = []
            for item in items {
                switch item {
                case .subject(let subject): subjects.append(subject)
                case .failure(let key, let message): state.fail(key, message)
                }
            }
            guard !subjects.isEmpty else { continue }
            for generation in GenerationPlan.firstAttempts(subjects, settings: settings, generator: generator, scorer: scorer) {
                generated.push(generation)
            }
        }
    }
}

/// Stage 4, score: with a scorer, every variant is scored and those under the threshold regenerated (the
/// `ConsistencyPolicy`); then the record is built. Without a scorer it only builds records.
struct ScoreStage {
    let settings: GenerationSettings
    let generator: any ImageGenerator
    let scorer: (any ConsistencyScorer)?
    let fingerprint: String
    let captioner: GeneratorIdentity?

    func run(from generated: BoundedQueue<SubjectGeneration>,
             into scored: BoundedQueue<(key: String, outcome: GenerationPlan.Outcome)>) {
        while var generation = generated.pop() {
            GenerationPlan.scoreAndRegenerate(&generation, settings: settings, generator: generator, scorer: scorer)
            let outcome = GenerationPlan.outcome(of: generation, settings: settings, fingerprint: fingerprint,
                                                 generator: generator.identity, captioner: captioner)
            scored.push((generation.subject.key, outcome))
        }
    }
}

/// Stage 5, write: records are appended to this rank's shard (commits follow the writer's group policy).
struct WriteStage {
    let writer: CacheAppender

    func run(from scored: BoundedQueue<(key: String, outcome: GenerationPlan.Outcome)>, state: PrecomputeRunState) {
        while let (key, outcome) = scored.pop() {
            guard let record = outcome.record else {
                state.fail(key, outcome.error?.description ?? "no record")
                continue
            }
            do throws(CacheError) {
                try writer.append(record)
                state.record { $0.generated += 1; $0.droppedVariants += outcome.dropped }
            } catch {
                state.writeFailure.withLock { $0 = error }
                state.stopRequest.stop()
            }
        }
    }
}
