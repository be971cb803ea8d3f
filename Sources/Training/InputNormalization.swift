/// Per-channel `(byte / 255 − mean) / std`, as torchvision's `ToTensor` + `Normalize`, computed as the loader's Float32
/// batches compute it (byte · 1/(255·std) + (−mean/std), two roundings), so a classifier sees the same floats either way.
public struct InputNormalization: Sendable, Hashable, Codable {
    /// Channel means in [0, 1].
    public var mean: [Float]
    /// Channel standard deviations.
    public var std: [Float]

    /// Creates a normalisation.
    /// - Parameters:
    ///   - mean: Channel means.
    ///   - std: Channel standard deviations.
    public init(mean: [Float], std: [Float]) {
        self.mean = mean
        self.std = std
    }

    /// Fashion-MNIST's training-set statistics (mean 0.286, std 0.353).
    public static let fashionMNIST = InputNormalization(mean: [0.286], std: [0.353])

    /// Normalises channels-last bytes.
    /// - Parameters:
    ///   - bytes: The values.
    ///   - channels: Values per pixel.
    ///   - count: How many values.
    /// - Returns: The floats.
    public func apply(_ bytes: UnsafeBufferPointer<UInt8>, channels: Int, count: Int) -> [Float] {
        let scale = (0..<channels).map { 1 / (255 * std[$0]) }, offset = (0..<channels).map { -mean[$0] / std[$0] }
        return (0..<count).map { index in Float(bytes[index]) * scale[index % channels] + offset[index % channels] }
    }
}
