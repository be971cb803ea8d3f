/// One image's activations, channels-last: `height × width` pixels of `channels` contiguous Float32 values (the
/// layout the kernels vectorise along channels). Owns its memory; used by one thread at a time (each worker of a model
/// keeps its own maps and reuses them for every image).
public final class FeatureMap {
    /// Rows.
    public let height: Int
    /// Columns.
    public let width: Int
    /// Values per pixel.
    public let channels: Int
    /// The values, pixel-major (`(y · width + x) · channels + c`).
    public let values: UnsafeMutablePointer<Float>

    /// The number of values.
    public var count: Int { height * width * channels }
    /// The number of pixels.
    public var pixels: Int { height * width }

    /// Allocates a map filled with zeros.
    /// - Parameters:
    ///   - height: Rows.
    ///   - width: Columns.
    ///   - channels: Values per pixel.
    public init(height: Int, width: Int, channels: Int) {
        precondition(height >= 0 && width >= 0 && channels >= 0, "negative feature-map size")
        self.height = height
        self.width = width
        self.channels = channels
        values = .allocate(capacity: max(1, height * width * channels))
        values.initialize(repeating: 0, count: max(1, height * width * channels))
    }

    deinit { values.deallocate() }

    /// The values as an array, channels-last.
    public var array: [Float] { Array(UnsafeBufferPointer(start: values, count: count)) }

    /// Copies channels-last values in.
    /// - Parameter source: `count` values.
    public func copy(from source: [Float]) {
        precondition(source.count == count, "\(source.count) values for a \(height)×\(width)×\(channels) map")
        source.withUnsafeBufferPointer { values.update(from: $0.baseAddress!, count: count) }
    }

    /// Copies another map of the same size in.
    /// - Parameter other: The source.
    public func copy(from other: FeatureMap) {
        precondition(other.count == count, "feature maps of different sizes")
        values.update(from: other.values, count: count)
    }

    /// Copies channels-first (`c · height · width + y · width + x`) values in, as diffusers and PyTorch hold them.
    /// - Parameter planar: `count` values.
    public func copy(fromChannelsFirst planar: UnsafePointer<Float>) {
        let plane = pixels
        for pixel in 0..<plane {
            for channel in 0..<channels { values[pixel * channels + channel] = planar[channel * plane + pixel] }
        }
    }

    /// Writes the values channels-first.
    /// - Parameter planar: Room for `count` values.
    public func write(channelsFirst planar: UnsafeMutablePointer<Float>) {
        let plane = pixels
        for pixel in 0..<plane {
            for channel in 0..<channels { planar[channel * plane + pixel] = values[pixel * channels + channel] }
        }
    }
}
