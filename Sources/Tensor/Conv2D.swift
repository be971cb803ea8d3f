import TensorKernels

/// Zero padding around an image, in pixels (PyTorch's `padding`, or `F.pad`'s asymmetric form).
public struct Padding: Sendable, Hashable {
    /// Rows above.
    public var top: Int
    /// Columns to the left.
    public var left: Int
    /// Rows below.
    public var bottom: Int
    /// Columns to the right.
    public var right: Int

    /// Padding on every side.
    /// - Parameter all: Pixels.
    public init(_ all: Int) { (top, left, bottom, right) = (all, all, all, all) }

    /// Padding per side.
    /// - Parameters:
    ///   - top: Rows above.
    ///   - left: Columns to the left.
    ///   - bottom: Rows below.
    ///   - right: Columns to the right.
    public init(top: Int, left: Int, bottom: Int, right: Int) {
        (self.top, self.left, self.bottom, self.right) = (top, left, bottom, right)
    }
}

/// A 2-D convolution with `torch.nn.Conv2d`'s semantics (weights `[out, in, k, k]`, bias `[out]`, stride, zero
/// padding), run channels-last by the direct kernel (`sgid_conv2d_nhwc`): weights are repacked once to tap-major,
/// input channels, output channels innermost.
public struct Conv2D: Sendable {
    /// Input channels.
    public let inChannels: Int
    /// Output channels.
    public let outChannels: Int
    /// Kernel side (1, 3, …).
    public let kernelSize: Int
    /// Stride.
    public let stride: Int
    /// Zero padding.
    public let padding: Padding
    let packed: [Float]
    let bias: [Float]?

    /// Creates a convolution from PyTorch-layout parameters.
    /// - Parameters:
    ///   - weight: `outChannels × inChannels × kernelSize × kernelSize` values.
    ///   - bias: `outChannels` values, or `nil`.
    ///   - inChannels: Input channels.
    ///   - outChannels: Output channels.
    ///   - kernelSize: Kernel side (1 to 7).
    ///   - stride: Stride (≥ 1).
    ///   - padding: Zero padding.
    /// - Throws: `.shapeMismatch` when the counts do not fit.
    public init(weight: [Float], bias: [Float]?, inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1,
                padding: Padding) throws(TensorError) {
        guard (1...7).contains(kernelSize), stride >= 1, inChannels >= 1, outChannels >= 1,
              weight.count == outChannels * inChannels * kernelSize * kernelSize, bias.map({ $0.count == outChannels }) ?? true else {
            throw TensorError(.shapeMismatch, "conv2d: \(weight.count) weights and \(bias?.count ?? 0) biases for "
                              + "\(outChannels)×\(inChannels)×\(kernelSize)×\(kernelSize)")
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.bias = bias
        let taps = kernelSize * kernelSize
        var packed = [Float](repeating: 0, count: weight.count)
        for output in 0..<outChannels {
            for input in 0..<inChannels {
                for tap in 0..<taps {
                    packed[(tap * inChannels + input) * outChannels + output] = weight[(output * inChannels + input) * taps + tap]
                }
            }
        }
        self.packed = packed
    }

    /// The output size for an input size.
    /// - Parameters:
    ///   - height: Input rows.
    ///   - width: Input columns.
    /// - Returns: Output rows and columns.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        ((height + padding.top + padding.bottom - kernelSize) / stride + 1,
         (width + padding.left + padding.right - kernelSize) / stride + 1)
    }

    /// Multiply-adds per output image of an input size (for throughput figures).
    /// - Parameters:
    ///   - height: Input rows.
    ///   - width: Input columns.
    /// - Returns: `outH · outW · out · in · k²`.
    public func multiplyAdds(height: Int, width: Int) -> Int {
        let (outH, outW) = outputSize(height: height, width: width)
        return outH * outW * outChannels * inChannels * kernelSize * kernelSize
    }

    /// Convolves one image.
    /// - Parameters:
    ///   - input: `inChannels` channels.
    ///   - output: The output size of `outputSize`, with at least `outChannels + outputChannelOffset` channels.
    ///   - outputChannelOffset: The first channel of `output` to write (the rest are left as they are).
    ///   - workspace: Scratch for the padded input.
    public func apply(_ input: FeatureMap, into output: FeatureMap, outputChannelOffset: Int = 0, workspace: Workspace) {
        precondition(input.channels == inChannels, "conv2d expects \(inChannels) input channels, got \(input.channels)")
        let (outH, outW) = outputSize(height: input.height, width: input.width)
        precondition(output.height == outH && output.width == outW && output.channels >= outChannels + outputChannelOffset,
                     "conv2d output map has the wrong size")
        let paddedH = input.height + padding.top + padding.bottom, paddedW = input.width + padding.left + padding.right
        let source: UnsafePointer<Float>
        if padding == Padding(0) {
            source = UnsafePointer(input.values)
        } else {
            let padded = workspace.scratch(paddedH * paddedW * inChannels)
            let row = paddedW * inChannels
            padded.update(repeating: 0, count: padding.top * row)
            for y in 0..<input.height {
                let start = padded + (padding.top + y) * row
                start.update(repeating: 0, count: padding.left * inChannels)
                (start + padding.left * inChannels).update(from: input.values + y * input.width * inChannels,
                                                           count: input.width * inChannels)
                (start + (padding.left + input.width) * inChannels).update(repeating: 0, count: padding.right * inChannels)
            }
            (padded + (padding.top + input.height) * row).update(repeating: 0, count: padding.bottom * row)
            source = UnsafePointer(padded)
        }
        packed.withUnsafeBufferPointer { weights in
            func run(_ bias: UnsafePointer<Float>?) {
                sgid_conv2d_nhwc(source, Int32(paddedH), Int32(paddedW), Int32(inChannels), weights.baseAddress, bias,
                                 Int32(kernelSize), Int32(stride), output.values + outputChannelOffset, Int32(outH), Int32(outW),
                                 Int32(outChannels), Int32(output.channels))
            }
            if let bias { bias.withUnsafeBufferPointer { run($0.baseAddress) } } else { run(nil) }
        }
    }
}
