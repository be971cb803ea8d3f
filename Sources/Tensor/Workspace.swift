/// Scratch memory one worker reuses across operations (padded copies of inputs, attention matrices), grown on demand
/// and never shrunk, so steady-state inference allocates nothing. One per thread.
public final class Workspace {
    private var storage: UnsafeMutablePointer<Float>
    private var capacity: Int

    /// Creates an empty workspace.
    public init() {
        capacity = 0
        storage = .allocate(capacity: 1)
    }

    deinit { storage.deallocate() }

    /// At least `count` floats of scratch (contents undefined; valid until the next call).
    /// - Parameter count: The floats needed.
    /// - Returns: The memory.
    public func scratch(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            storage.deallocate()
            capacity = max(count, capacity * 2)
            storage = .allocate(capacity: capacity)
        }
        return storage
    }
}
