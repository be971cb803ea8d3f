import Foundation

/// Results arrive from workers in any order and leave in sequence order: the consumer waits for the next sequence
/// number, so batches are the same whatever the number of threads.
final class ReorderBuffer: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [Int: WorkResult] = [:]
    private var producedCount: Int?
    private var cancelled = false
    /// The sequence number the consumer is waiting for, if it is waiting.
    private var awaited: Int?

    /// Stores a worker's result; wakes the consumer only when it is the one it waits for.
    func put(_ sequence: Int, _ result: WorkResult) {
        condition.lock()
        results[sequence] = result
        if sequence == awaited { condition.signal() }
        condition.unlock()
    }

    /// Tells the consumer how many sequence numbers the producer emitted in total.
    func finish(count: Int) {
        condition.lock()
        producedCount = count
        condition.broadcast()
        condition.unlock()
    }

    /// Wakes a waiting consumer for shutdown.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the result of `sequence`; `nil` when the stream ended before it (or on cancellation).
    func take(_ sequence: Int) -> WorkResult? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result = results.removeValue(forKey: sequence) { return result }
            if cancelled { return nil }
            if let producedCount, sequence >= producedCount { return nil }
            awaited = sequence
            condition.wait()
            awaited = nil
        }
    }
}
