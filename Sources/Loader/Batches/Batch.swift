/// A contiguous training batch: images in the loader's output format, with labels and keys.
/// The image memory is pooled: keep a `Batch` only as long as you need it (copy what you keep).
public struct Batch: Sendable {
    /// The epoch this batch belongs to.
    public let epoch: Int
    /// The batch's number within the epoch (0, 1, …) on this rank.
    public let index: Int
    /// Samples in the batch (the last batch may be smaller unless `dropLast`).
    public let count: Int
    /// Image width.
    public let width: Int
    /// Image height.
    public let height: Int
    /// Image channels.
    public let channels: Int
    /// The layout and element type of `images`.
    public let format: OutputFormat
    /// Class labels (-1 where a sample has none).
    public let labels: [Int32]
    /// Sample keys.
    public let keys: [String]
    /// Each sample's position in the epoch's global order (what seeded its augmentation).
    public let positions: [Int]
    /// Soft targets, `count × classes` row-major, when the loader's batch augmentation (Mixup/CutMix) ran on the
    /// batch; `nil` otherwise (train on `labels`).
    public internal(set) var targets: [Float]? = nil
    /// How each sample was mixed, when the loader's batch augmentation ran.
    public internal(set) var mixes: [SampleMix]? = nil
    let memory: BatchMemory

    /// Elements per image (`width * height * channels`).
    public var imageElements: Int { width * height * channels }

    /// The images as bytes (`.uint8NHWC` batches).
    /// - Parameter body: Reads `count * imageElements` bytes.
    /// - Returns: What `body` returns.
    /// - Precondition: `format == .uint8NHWC`.
    public func withUInt8Images<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard case .uint8NHWC = format else { preconditionFailure("batch holds Float32 images, not UInt8") }
        return try body(UnsafeBufferPointer(start: memory.pointer.assumingMemoryBound(to: UInt8.self), count: count * imageElements))
    }

    /// The images as floats (`.float32NCHW` / `.float32NHWC` batches).
    /// - Parameter body: Reads `count * imageElements` floats.
    /// - Returns: What `body` returns.
    /// - Precondition: a Float32 format.
    public func withFloatImages<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        if case .uint8NHWC = format { preconditionFailure("batch holds UInt8 images, not Float32") }
        return try body(UnsafeBufferPointer(start: memory.pointer.assumingMemoryBound(to: Float.self), count: count * imageElements))
    }

    /// The raw bytes of the images, whatever the format (for hashing and comparisons).
    /// - Parameter body: Reads `count * imageElements * elementBytes` bytes.
    /// - Returns: What `body` returns.
    public func withImageBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: memory.pointer, count: count * imageElements * format.elementBytes))
    }
}
