import Augment
import Foundation
import WorkQueues

/// The threads of one epoch: a producer emitting work items, worker threads decoding and augmenting, and a reorder
/// buffer the consumer reads in sequence order. Bounded: at most `prefetchBatches × batchSize` samples are in flight,
/// so a slow consumer stops the workers (backpressure) instead of filling memory.
final class EpochRun: @unchecked Sendable {
    let reorder = ReorderBuffer()
    private let window: InFlightWindow
    private let queue: BoundedQueue<WorkItem>
    private let group = DispatchGroup()
    private let cancelledFlag = NSLock()
    private var cancelled = false

    /// Starts the threads.
    /// - Parameters:
    ///   - producer: Emits the epoch's items.
    ///   - firstSequence: The first sequence number to process (resume).
    ///   - load: Reads a sample of an indexed dataset.
    ///   - pipeline: The augmentation pipeline.
    ///   - configuration: Threads, prefetch, seed, decode mode.
    ///   - epoch: The epoch number.
    init(producer: any ItemProducer, firstSequence: Int, load: (@Sendable (Int) throws(LoaderError) -> Sample)?,
         pipeline: Pipeline, configuration: LoaderConfiguration, epoch: Int) {
        let inFlight = configuration.prefetchBatches * configuration.batchSize
        window = InFlightWindow(slots: inFlight)
        // The window bounds what is queued; a queue as deep lets the producer refill a whole batch in one go.
        queue = BoundedQueue(capacity: inFlight)
        let reorder = self.reorder, queue = self.queue, window = self.window
        group.enter()
        let name = configuration.threadName
        Thread.detachNewThread { [group] in
            Thread.current.name = name
            let total = producer.produce(startingAt: firstSequence) { item in
                guard window.acquire() else { return false }
                return queue.push(item)
            }
            reorder.finish(count: total ?? 0)
            queue.close()
            group.leave()
        }
        for _ in 0..<configuration.threads {
            group.enter()
            Thread.detachNewThread { [group] in
                Thread.current.name = name
                while let item = queue.pop() {
                    reorder.put(item.sequence, Self.process(item, load: load, pipeline: pipeline,
                                                            configuration: configuration, epoch: epoch))
                }
                group.leave()
            }
        }
    }

    /// Decodes and augments one sample with its own generator.
    static func process(_ item: WorkItem, load: (@Sendable (Int) throws(LoaderError) -> Sample)?, pipeline: Pipeline,
                        configuration: LoaderConfiguration, epoch: Int) -> WorkResult {
        var sample: Sample
        switch item.source {
        case .failure(let error):
            return .failed(error)
        case .sample(let read):
            sample = read
        case .index(let index):
            guard let load else { return .failed(LoaderError(.invalidArgument, "no reader for indexed samples")) }
            do {
                sample = try load(index)
            } catch {
                return .failed(error)
            }
        }
        sample.decodeMode = configuration.decodeMode
        sample.decodeOptions.mode = configuration.colorMode
        var rng = SampleRNG(seed: configuration.seed, epoch: epoch, position: item.position)
        do {
            try pipeline.augment(&sample, using: &rng)
            let image = try sample.pixels()
            return .ready(ProcessedSample(key: sample.key, label: sample.label, position: item.position, image: image))
        } catch {
            return .failed(.augmentation(error))
        }
    }

    /// The consumer took `count` results: let as many more items in.
    /// - Parameter count: Results taken.
    func released(_ count: Int) { window.release(count) }

    /// Stops every thread and waits for them (nothing leaks).
    func stop() {
        cancelledFlag.lock()
        let first = !cancelled
        cancelled = true
        cancelledFlag.unlock()
        guard first else { return }
        queue.close(discarding: true)
        reorder.cancel()
        window.cancel()  // the producer may be waiting for room
        group.wait()
    }

    deinit { stop() }
}
