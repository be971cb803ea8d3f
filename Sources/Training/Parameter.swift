/// A trainable tensor: its values, the gradient of the last step, and AdamW's moment estimates. Convolution weights
/// are kept in the kernels' layout (`layout == .convolutionPacked`: taps × in × out); `torchValues` gives PyTorch's.
public final class Parameter: @unchecked Sendable {
    /// How the values are laid out.
    public enum Layout: Sendable, Equatable {
        /// As PyTorch holds the tensor (`shape`, row-major).
        case torch
        /// Convolution weights as the kernels read them: k² taps × in × out (PyTorch's shape is out × in × k × k).
        case convolutionPacked(outChannels: Int, inChannels: Int, kernel: Int)
    }

    /// The name (`conv1.weight`), as in PyTorch's `state_dict`.
    public let name: String
    /// PyTorch's shape of the tensor.
    public let shape: [Int]
    /// The layout of `values`.
    public let layout: Layout
    /// The values.
    public var values: [Float]
    /// The gradient (summed over the batch, then divided by its size).
    public var gradient: [Float]
    /// AdamW's first moment.
    var firstMoment: [Float]
    /// AdamW's second moment.
    var secondMoment: [Float]
    /// Whether weight decay applies (weights yes; biases too in PyTorch's AdamW unless grouped, which the recipe
    /// does not).
    public let decays: Bool

    /// Creates a parameter.
    /// - Parameters:
    ///   - name: The name.
    ///   - shape: PyTorch's shape.
    ///   - layout: The layout of `values`.
    ///   - values: The values.
    ///   - decays: Whether weight decay applies.
    public init(name: String, shape: [Int], layout: Layout = .torch, values: [Float], decays: Bool = true) {
        precondition(values.count == shape.reduce(1, *), "\(name): \(values.count) values for shape \(shape)")
        self.name = name
        self.shape = shape
        self.layout = layout
        self.values = values
        self.decays = decays
        gradient = [Float](repeating: 0, count: values.count)
        firstMoment = gradient
        secondMoment = gradient
    }

    /// The values in PyTorch's layout.
    public var torchValues: [Float] { Self.torch(values, layout: layout) }

    /// The gradient in PyTorch's layout.
    public var torchGradient: [Float] { Self.torch(gradient, layout: layout) }

    /// Sets the values from PyTorch's layout.
    /// - Parameter torch: `shape`-many values, row-major.
    public func setTorchValues(_ torch: [Float]) {
        precondition(torch.count == values.count, "\(name): \(torch.count) values for \(values.count)")
        guard case .convolutionPacked(let out, let input, let kernel) = layout else {
            values = torch
            return
        }
        let taps = kernel * kernel
        for o in 0..<out {
            for i in 0..<input {
                for tap in 0..<taps { values[(tap * input + i) * out + o] = torch[(o * input + i) * taps + tap] }
            }
        }
    }

    static func torch(_ values: [Float], layout: Layout) -> [Float] {
        guard case .convolutionPacked(let out, let input, let kernel) = layout else { return values }
        let taps = kernel * kernel
        var torch = [Float](repeating: 0, count: values.count)
        for o in 0..<out {
            for i in 0..<input {
                for tap in 0..<taps { torch[(o * input + i) * taps + tap] = values[(tap * input + i) * out + o] }
            }
        }
        return torch
    }
}
