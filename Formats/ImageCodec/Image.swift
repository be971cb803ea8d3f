/// An 8-bit image with interleaved channels in row-major height × width × channels (HWC) order.
///
/// `Image` is a value type backed by a copy-on-write array, so passing it around is cheap and mutation never aliases.
/// Channel counts: 1 (gray, Pillow `L`), 3 (RGB) or 4 (RGBA / RGBX).
public struct Image: Sendable, Hashable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Interleaved channels per pixel: 1, 3 or 4.
    public let channels: Int
    /// The pixels, `height * width * channels` bytes, rows top to bottom, no padding.
    public var pixels: [UInt8]

    /// Creates an image from existing pixels.
    /// - Parameters:
    ///   - width: Width in pixels (≥ 0).
    ///   - height: Height in pixels (≥ 0).
    ///   - channels: 1, 3 or 4.
    ///   - pixels: Exactly `width * height * channels` bytes in HWC order.
    /// - Precondition: the sizes agree and `channels` is 1, 3 or 4.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "negative image size \(width)x\(height)")
        precondition(channels == 1 || channels == 3 || channels == 4, "unsupported channel count \(channels)")
        precondition(pixels.count == width * height * channels,
                     "pixel buffer has \(pixels.count) bytes, expected \(width * height * channels)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Creates an image filled with one value in every channel.
    /// - Parameters:
    ///   - width: Width in pixels.
    ///   - height: Height in pixels.
    ///   - channels: 1, 3 or 4.
    ///   - value: The byte every channel of every pixel holds.
    public init(width: Int, height: Int, channels: Int, filledWith value: UInt8 = 0) {
        self.init(width: width, height: height, channels: channels,
                  pixels: [UInt8](repeating: value, count: width * height * channels))
    }

    /// Bytes in one row (`width * channels`).
    public var rowBytes: Int { width * channels }

    /// Number of pixels (`width * height`).
    public var pixelCount: Int { width * height }

    /// Reads one channel of one pixel.
    /// - Parameters:
    ///   - x: Column, 0 ..< width.
    ///   - y: Row, 0 ..< height.
    ///   - channel: Channel, 0 ..< channels.
    /// - Returns: The byte at that position.
    public subscript(x: Int, y: Int, channel: Int) -> UInt8 {
        get { pixels[(y * width + x) * channels + channel] }
        set { pixels[(y * width + x) * channels + channel] = newValue }
    }
}
