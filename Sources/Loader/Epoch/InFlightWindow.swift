import Foundation

/// Counts samples in flight between the producer and the consumer: the producer takes a slot per item, the consumer
/// gives one back per result it takes. (A `DispatchSemaphore` cannot be used: libdispatch traps when one is released
/// below its initial value, which happens whenever an epoch is stopped early.)
final class InFlightWindow: @unchecked Sendable {
    private let condition = NSCondition()
    private var available: Int
    private var cancelled = false

    /// Creates a window.
    /// - Parameter slots: Items in flight at most.
    init(slots: Int) { available = max(1, slots) }

    /// Waits for a free slot.
    /// - Returns: `false` when the window was cancelled.
    func acquire() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while available == 0 && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        available -= 1
        return true
    }

    /// Frees slots.
    /// - Parameter count: Slots to free.
    func release(_ count: Int = 1) {
        guard count > 0 else { return }
        condition.lock()
        available += count
        condition.signal()
        condition.unlock()
    }

    /// Wakes the producer for shutdown; later acquisitions fail.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
