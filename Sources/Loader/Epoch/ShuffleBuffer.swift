import Augment

/// webdataset's sample shuffle: nothing comes out until `initial` samples are in; then a random buffered sample comes
/// out for every sample that goes in, while the buffer keeps growing by one sample per output until it holds
/// `capacity` (so mixing improves quickly without a long start-up). Deterministic given its generator.
struct ShuffleBuffer<Element> {
    private var items: [Element] = []
    private let capacity: Int
    private let initial: Int
    private var rng: SampleRNG
    private var started = false
    private var absorbNext = true

    /// Creates a buffer.
    /// - Parameters:
    ///   - capacity: Samples held at most.
    ///   - initial: Samples held before the first output.
    ///   - rng: The generator of the buffer's choices.
    init(capacity: Int, initial: Int, rng: SampleRNG) {
        self.capacity = max(1, capacity)
        self.initial = min(max(0, initial), self.capacity)
        self.rng = rng
        items.reserveCapacity(self.capacity)
    }

    /// Adds a sample; returns one to emit when the buffer is warm.
    mutating func push(_ element: Element) -> Element? {
        items.append(element)
        if !started {
            guard items.count >= max(initial, 1) else { return nil }
            started = true
        }
        if items.count < capacity && absorbNext {
            absorbNext = false
            return nil
        }
        absorbNext = true
        let slot = rng.int(in: 0...(items.count - 1))
        items.swapAt(slot, items.count - 1)
        return items.removeLast()
    }

    /// Empties the buffer at the end of input, in random order.
    mutating func drain() -> [Element] {
        var out: [Element] = []
        while !items.isEmpty {
            let slot = rng.int(in: 0...(items.count - 1))
            items.swapAt(slot, items.count - 1)
            out.append(items.removeLast())
        }
        return out
    }
}
