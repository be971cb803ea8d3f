import Foundation

/// A FIFO queue between threads, the one the loader's epochs, the precompute stages and the background filler share.
///
/// `push` waits while the queue holds `capacity` elements (backpressure); `tryPush` refuses instead of waiting;
/// `pop` and `popBatch` wait while it is empty. `close` wakes every waiter: later pushes are refused, pops drain what
/// is left and then return `nil`.
package final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private let capacity: Int
    private var closed = false

    /// Creates a queue.
    /// - Parameter capacity: Elements held at most (`Int.max`, the default, for unbounded; at least 1).
    package init(capacity: Int = .max) { self.capacity = max(1, capacity) }

    private var queued: Int { items.count - head }

    /// Appends, waiting while the queue is full.
    /// - Parameter element: The element.
    /// - Returns: `false` if the queue was closed (the element is dropped).
    @discardableResult
    package func push(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !closed && queued >= capacity { condition.wait() }
        guard !closed else { return false }
        items.append(element)
        condition.broadcast()
        return true
    }

    /// Appends without waiting.
    /// - Parameter element: The element.
    /// - Returns: `false` if the queue is full or closed (the element is dropped).
    package func tryPush(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed, queued < capacity else { return false }
        items.append(element)
        condition.broadcast()
        return true
    }

    /// Removes the oldest element, waiting while the queue is empty.
    /// - Returns: The element, or `nil` once the queue is closed and drained.
    package func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while !closed && queued == 0 { condition.wait() }
        guard queued > 0 else { return nil }
        let element = items[head]
        advance(by: 1)
        return element
    }

    /// Waits for at least one element, then removes up to `max` of those queued, oldest first.
    /// - Parameter max: The most elements to take (at least 1).
    /// - Returns: The elements, or `nil` once the queue is closed and drained.
    package func popBatch(max: Int) -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        while !closed && queued == 0 { condition.wait() }
        guard queued > 0 else { return nil }
        let count = Swift.min(Swift.max(1, max), queued)
        let batch = Array(items[head..<head + count])
        advance(by: count)
        return batch
    }

    /// Drops `count` taken elements from the front and wakes waiting producers (called with the lock held).
    private func advance(by count: Int) {
        head += count
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
    }

    /// Refuses further pushes and wakes every waiter.
    /// - Parameter discarding: Also drop the queued elements (pops then return `nil` at once).
    package func close(discarding: Bool = false) {
        condition.lock()
        closed = true
        if discarding {
            items.removeAll()
            head = 0
        }
        condition.broadcast()
        condition.unlock()
    }
}
