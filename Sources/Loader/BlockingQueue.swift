import Foundation

/// A FIFO queue between threads with an optional capacity: `push` waits while full, `pop` waits while empty,
/// `close` wakes everyone (pushes are refused, pops drain then return `nil`).
final class BlockingQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private let capacity: Int
    private var closed = false

    /// Creates a queue.
    /// - Parameter capacity: Elements held at most (`Int.max` for unbounded).
    init(capacity: Int = .max) { self.capacity = max(1, capacity) }

    /// Appends, waiting while the queue is full.
    /// - Returns: `false` if the queue was closed.
    @discardableResult
    func push(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !closed && items.count - head >= capacity { condition.wait() }
        guard !closed else { return false }
        items.append(element)
        condition.broadcast()
        return true
    }

    /// Removes the oldest element, waiting while empty; `nil` once closed and drained.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while !closed && head == items.count { condition.wait() }
        guard head < items.count else { return nil }
        let element = items[head]
        head += 1
        if head > 1024 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return element
    }

    /// Refuses further pushes and wakes every waiter.
    /// - Parameter discarding: Also drop the elements still queued (pops then return `nil` at once).
    func close(discarding: Bool = false) {
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
