import Augment
import CacheShard
import Foundation
import Synchronization
import WorkQueues

/// Fills the cache in the background: misses are queued (each key once) and a thread generates them with an
/// `OnDemandGenerator`, so training never waits and later epochs (after `CacheStore.refresh()`) find them.
public final class BackgroundFiller: Sendable {
    private struct Job: Sendable {
        let sample: Sample
        let digest: SourceDigest
    }

    private let generator: OnDemandGenerator
    private let queue: BoundedQueue<Job>
    private let seen = Mutex<Set<String>>([])
    private let counts = FillerProgress()
    private let finished = DispatchGroup()

    /// Starts the filler thread.
    /// - Parameters:
    ///   - generator: Generates and writes records.
    ///   - capacity: Queued misses at most (later ones are dropped and retried by a later epoch).
    public init(generator: OnDemandGenerator, capacity: Int = 10_000) {
        self.generator = generator
        queue = BoundedQueue(capacity: capacity)
        finished.enter()
        let queue = self.queue, counts = self.counts, finished = self.finished
        Thread.detachNewThread {
            while let job = queue.pop() {
                do throws(GeneratorError) {
                    try generator.generate(try generator.subject(for: job.sample, digest: job.digest))
                    counts.state.withLock { $0.done += 1 }
                } catch {
                    counts.state.withLock { $0.failed.append(error.description) }
                }
            }
            finished.leave()
        }
    }

    /// Queues a miss (ignored if the key is already queued or done, or the queue is full).
    /// - Parameters:
    ///   - sample: The sample, image still encoded.
    ///   - digest: SHA-256 of its encoded bytes.
    /// - Returns: Whether it was queued.
    @discardableResult
    public func enqueue(_ sample: Sample, digest: SourceDigest) -> Bool {
        guard seen.withLock({ $0.insert(sample.key).inserted }) else { return false }
        return queue.tryPush(Job(sample: sample, digest: digest))
    }

    /// Generated records so far, and the failures with their keys.
    public var progress: (done: Int, failed: [String]) { counts.state.withLock { $0 } }

    /// Finishes the queued work and stops the thread.
    public func drain() {
        queue.close()
        finished.wait()
    }
}

/// Generated and failed counts of the filler thread.
final class FillerProgress: Sendable {
    let state = Mutex<(done: Int, failed: [String])>((0, []))
}
