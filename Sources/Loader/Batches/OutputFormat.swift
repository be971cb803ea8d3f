/// Per-channel normalisation applied while collating: `(pixel / 255 - mean) / std`.
public struct Normalization: Sendable, Hashable, Codable {
    /// Channel means in [0, 1].
    public var mean: [Float]
    /// Channel standard deviations in [0, 1].
    public var std: [Float]

    /// Creates a normalisation.
    /// - Parameters:
    ///   - mean: Channel means in [0, 1].
    ///   - std: Channel standard deviations (non-zero).
    public init(mean: [Float], std: [Float]) {
        self.mean = mean
        self.std = std
    }

    /// torchvision's ImageNet statistics.
    public static let imagenet = Normalization(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
    /// Only `pixel / 255`.
    public static let unit = Normalization(mean: [0, 0, 0], std: [1, 1, 1])
}

/// The memory layout of a batch's images.
public enum OutputFormat: Sendable, Hashable {
    /// Bytes, batch × height × width × channels.
    case uint8NHWC
    /// Normalised floats, batch × channels × height × width (PyTorch's layout).
    case float32NCHW(Normalization)
    /// Normalised floats, batch × height × width × channels.
    case float32NHWC(Normalization)

    /// Bytes per image element.
    var elementBytes: Int {
        if case .uint8NHWC = self { return 1 }
        return 4
    }
}

/// What happens to a sample that cannot be read, decoded or augmented.
public enum CorruptSamplePolicy: String, Sendable, Codable, CaseIterable {
    /// Stop the epoch with the error (naming shard, member, key).
    case fail
    /// Drop the sample, count it and keep its reason for the epoch summary.
    case skip
    /// As `skip`, and also print a warning line to standard error.
    case warn
}
