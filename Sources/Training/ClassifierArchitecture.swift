/// The layers of a small convolutional classifier, in order.
public enum LayerSpec: Sendable, Hashable, Codable {
    /// A convolution, stride 1, "same" zero padding (`kernel / 2`), with a bias.
    case convolution(outChannels: Int, kernel: Int)
    /// max(0, x).
    case relu
    /// 2 × 2 max pooling, stride 2 (odd sizes floor).
    case maxPool
    /// The mean over the pixels of each channel.
    case globalAveragePool
    /// Inverted dropout: each value zeroed with probability p during training, the others × 1 / (1 − p).
    case dropout(probability: Double)
    /// A fully connected layer with a bias (on a 1 × 1 map).
    case linear(outFeatures: Int)
}

/// A classifier's input and layers.
public struct ClassifierArchitecture: Sendable, Hashable, Codable {
    /// Input channels.
    public var inputChannels: Int
    /// Input rows.
    public var height: Int
    /// Input columns.
    public var width: Int
    /// The layers.
    public var layers: [LayerSpec]

    /// Creates an architecture.
    /// - Parameters:
    ///   - inputChannels: Input channels.
    ///   - height: Input rows.
    ///   - width: Input columns.
    ///   - layers: The layers.
    public init(inputChannels: Int, height: Int, width: Int, layers: [LayerSpec]) {
        self.inputChannels = inputChannels
        self.height = height
        self.width = width
        self.layers = layers
    }

    /// The Fashion-MNIST classifier of the project's experiment: three 3 × 3 convolutions (32, 64, 128 channels) with
    /// ReLU, 2 × 2 max pooling after the first two, global average pooling, dropout, a linear layer.
    /// - Parameters:
    ///   - channels: The convolutions' widths (default 32, 64, 128).
    ///   - dropout: The dropout probability (default 0.3).
    ///   - classes: Output classes (default 10).
    ///   - size: Input side (default 28).
    /// - Returns: The architecture.
    public static func fashion(channels: [Int] = [32, 64, 128], dropout: Double = 0.3, classes: Int = 10,
                               size: Int = 28) -> ClassifierArchitecture {
        var layers: [LayerSpec] = []
        for (index, width) in channels.enumerated() {
            layers += [.convolution(outChannels: width, kernel: 3), .relu]
            if index < channels.count - 1 { layers.append(.maxPool) }
        }
        layers += [.globalAveragePool, .dropout(probability: dropout), .linear(outFeatures: classes)]
        return ClassifierArchitecture(inputChannels: 1, height: size, width: size, layers: layers)
    }

    /// The output classes (the last linear layer's width).
    public var classes: Int {
        for layer in layers.reversed() { if case .linear(let out) = layer { return out } }
        return 0
    }
}
