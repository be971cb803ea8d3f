/// Float32 storage owned by one chunk of the trainer: a chunk's activations, gradients or scratch, reused every step.
final class Activations {
    /// The values.
    private(set) var pointer: UnsafeMutablePointer<Float>
    /// How many values fit.
    private(set) var capacity: Int

    /// Allocates zero-filled storage.
    /// - Parameter capacity: Values.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
        pointer = .allocate(capacity: self.capacity)
        pointer.initialize(repeating: 0, count: self.capacity)
    }

    deinit { pointer.deallocate() }

    /// Makes room for `count` values (contents undefined after growing).
    /// - Parameter count: Values needed.
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        pointer.deallocate()
        capacity = count
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: 0, count: count)
    }
}

/// The shape of one image's activations, channels-last.
struct MapShape: Hashable, Sendable {
    /// Rows.
    var height: Int
    /// Columns.
    var width: Int
    /// Values per pixel.
    var channels: Int

    /// Values per image.
    var count: Int { height * width * channels }
    /// Pixels per image.
    var pixels: Int { height * width }
}
