import Foundation

/// A bounded FIFO between pipeline stages: `push` waits while full, `pop`/`popBatch` wait while empty and return
/// `nil` once closed and drained.
final class BoundedChannel<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private let capacity: Int
    private var closed = false

    init(capacity: Int) { self.capacity = max(1, capacity) }

    func push(_ element: Element) {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !closed { condition.wait() }
        guard !closed else { return }
        items.append(element)
        condition.broadcast()
    }

    func pop() -> Element? { popBatch(max: 1)?.first }

    /// Waits for at least one element, then takes up to `max` of those available.
    func popBatch(max: Int) -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        guard !items.isEmpty else { return nil }
        let count = Swift.min(max, items.count)
        let batch = Array(items.prefix(count))
        items.removeFirst(count)
        condition.broadcast()
        return batch
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
