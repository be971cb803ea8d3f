import Augment
import Foundation

/// Delivers one epoch's batches in order. Releasing the iterator (or a `break` out of the loop using it) stops the
/// epoch's threads and waits for them, so nothing leaks. Use from one thread at a time.
public final class EpochIterator: @unchecked Sendable {
    /// The epoch.
    public let epoch: Int
    private let run: EpochRun
    private let configuration: LoaderConfiguration
    private let collator: Collator
    private var nextSequence: Int
    private var batchesDelivered: Int
    private var samplesDelivered = 0
    private var skipped: [String: Int] = [:]
    private var skippedExamples: [String] = []
    private var skippedArchiveBytes: UInt64 = 0
    private var started: ContinuousClock.Instant?
    private var elapsed: Duration = .zero
    private var finished = false
    private var failure: LoaderError?

    init(run: EpochRun, configuration: LoaderConfiguration, collator: Collator, epoch: Int, startingAt state: LoaderState?) {
        self.run = run
        self.configuration = configuration
        self.collator = collator
        self.epoch = epoch
        nextSequence = state?.samplesConsumed ?? 0
        batchesDelivered = state?.batchesDelivered ?? 0
    }

    deinit { run.stop() }

    /// Where this epoch stands: save it to resume in another process.
    public var state: LoaderState {
        var state = LoaderState.start(of: epoch, configuration: configuration)
        state.batchesDelivered = batchesDelivered
        state.samplesConsumed = nextSequence
        return state
    }

    /// What the epoch did so far (complete once `next()` returned `nil`).
    public var summary: EpochSummary {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return EpochSummary(epoch: epoch, batches: batchesDelivered, samples: samplesDelivered, skipped: skipped,
                            skippedExamples: skippedExamples, skippedArchiveBytes: skippedArchiveBytes, seconds: seconds)
    }

    /// The next batch, or `nil` at the end of the epoch.
    /// - Returns: The batch or `nil`.
    /// - Throws: `LoaderError` for a failing sample under the `.fail` policy (naming shard, member, key), or a shape
    ///   mismatch. After an error the epoch is over and `next()` rethrows it.
    public func next() throws(LoaderError) -> Batch? {
        if let failure { throw failure }
        guard !finished else { return nil }
        let begin = ContinuousClock.now
        if started == nil { started = begin }
        defer { elapsed += ContinuousClock.now - begin }
        var samples: [ProcessedSample] = []
        samples.reserveCapacity(configuration.batchSize)
        // The window's slots go back once per batch (not per sample), so the producer wakes once per batch.
        // A skipped sample gives its slot back at once: a run of failures longer than the window would otherwise
        // leave the producer waiting for slots while this batch waits for samples (a deadlock).
        var firstUnreleased = nextSequence
        defer { run.released(nextSequence - firstUnreleased) }
        while samples.count < configuration.batchSize {
            guard let result = run.reorder.take(nextSequence) else { break }
            nextSequence += 1
            switch result {
            case .ready(let sample):
                samples.append(sample)
            case .failed(let error):
                let imageless = error.kind == .noImage && !configuration.requiresImage
                guard configuration.corruptPolicy != .fail || imageless else { return try stop(with: error) }
                let reason = error.kind.rawValue
                skipped[reason, default: 0] += 1
                skippedArchiveBytes += error.skippedBytes ?? 0
                if skippedExamples.count < 20 { skippedExamples.append(error.description) }
                if configuration.corruptPolicy == .warn && !imageless {
                    FileHandle.standardError.write(Data("sgid: skipped sample: \(error)\n".utf8))
                }
                run.released(nextSequence - firstUnreleased)
                firstUnreleased = nextSequence
            }
        }
        if samples.isEmpty || (samples.count < configuration.batchSize && configuration.dropLast) {
            finished = true
            run.stop()
            return nil
        }
        var batch: Batch
        do {
            batch = try collator.collate(samples, epoch: epoch, index: batchesDelivered)
        } catch {
            return try stop(with: error)
        }
        if let mixup = configuration.mixup {
            do throws(AugmentError) {
                try Self.mix(&batch, with: mixup, seed: configuration.seed)
            } catch {
                return try stop(with: .augmentation(error))
            }
        }
        batchesDelivered += 1
        samplesDelivered += samples.count
        return batch
    }

    /// The loader's batch stage: Mixup/CutMix with the batch's own generator (seed, epoch, batch number).
    static func mix(_ batch: inout Batch, with mixup: Mixup, seed: UInt64) throws(AugmentError) {
        var rng = SampleRNG(seed: seed, epoch: batch.epoch, position: batch.index,
                            stream: EpochOrder.Purpose.batchAugmentation.rawValue)
        let mixed = try mixup.mix(batch, using: &rng)
        batch = mixed.batch
        batch.targets = mixed.targets
        batch.mixes = mixed.mixes
    }

    private func stop(with error: LoaderError) throws(LoaderError) -> Batch? {
        failure = error
        finished = true
        run.stop()
        throw error
    }
}
