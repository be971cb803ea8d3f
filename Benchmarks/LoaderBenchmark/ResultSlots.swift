import Synchronization

/// Per-worker totals and the first failure of a parallel pass, shared between `concurrentPerform` workers.
final class ResultSlots: Sendable {
    private let state: Mutex<(totals: [Int], failure: String?)>

    /// Creates the slots.
    /// - Parameter count: The number of workers.
    init(count: Int) { state = Mutex((totals: [Int](repeating: 0, count: count), failure: nil)) }

    /// Adds to a worker's total (once per worker and pass: no contention on the hot path).
    /// - Parameters:
    ///   - worker: The worker.
    ///   - value: What to add.
    func add(_ worker: Int, _ value: Int) { state.withLock { $0.totals[worker] &+= value } }

    /// Records a failure (the first one is kept).
    /// - Parameters:
    ///   - worker: The worker.
    ///   - message: What went wrong.
    func fail(_ worker: Int, _ message: String) { state.withLock { if $0.failure == nil { $0.failure = message } } }

    /// The first failure, if any.
    var firstFailure: String? { state.withLock { $0.failure } }

    /// The sum of all totals.
    var total: Int { state.withLock { $0.totals.reduce(0, &+) } }
}
