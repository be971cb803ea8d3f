import Synchronization

/// Reusable batch buffers: a batch's memory goes back to its pool when the last `Batch` value using it is released,
/// so a training loop that consumes batches in order allocates nothing per batch in steady state.
final class BatchMemoryPool: Sendable {
    /// A free allocation; owned by the pool's lock while listed.
    private struct FreeBuffer: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
        let capacity: Int
    }

    private let free = Mutex<[FreeBuffer]>([])
    private let keep: Int

    /// Creates a pool.
    /// - Parameter keep: Buffers kept for reuse at most (the rest are freed).
    init(keep: Int) { self.keep = keep }

    /// A buffer of at least `bytes` bytes, reused when one is free.
    func take(bytes: Int) -> BatchMemory {
        let reused: FreeBuffer? = free.withLock { list in
            guard let index = list.firstIndex(where: { $0.capacity >= bytes }) else { return nil }
            return list.remove(at: index)
        }
        if let reused { return BatchMemory(pointer: reused.pointer, capacity: reused.capacity, pool: self) }
        return BatchMemory(pointer: UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 64),
                           capacity: bytes, pool: self)
    }

    fileprivate func recycle(_ pointer: UnsafeMutableRawPointer, capacity: Int) {
        let kept = free.withLock { list -> Bool in
            guard list.count < keep else { return false }
            list.append(FreeBuffer(pointer: pointer, capacity: capacity))
            return true
        }
        if !kept { pointer.deallocate() }
    }

    deinit {
        free.withLock { list in for entry in list { entry.pointer.deallocate() } }
    }
}

/// One batch's image memory; returned to its pool on release.
final class BatchMemory: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let capacity: Int
    private let pool: BatchMemoryPool

    init(pointer: UnsafeMutableRawPointer, capacity: Int, pool: BatchMemoryPool) {
        self.pointer = pointer
        self.capacity = capacity
        self.pool = pool
    }

    deinit { pool.recycle(pointer, capacity: capacity) }
}
