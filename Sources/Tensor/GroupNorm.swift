import TensorKernels

/// `torch.nn.GroupNorm` (affine) over one channels-last image, optionally fused with SiLU.
public struct GroupNorm: Sendable {
    /// Groups (divides the channel count).
    public let groups: Int
    /// Channels.
    public let channels: Int
    /// Added to the variance.
    public let eps: Float
    let gamma: [Float]
    let beta: [Float]

    /// Creates a normalisation.
    /// - Parameters:
    ///   - groups: Groups.
    ///   - channels: Channels.
    ///   - eps: Variance epsilon.
    ///   - weight: `channels` scales.
    ///   - bias: `channels` shifts.
    /// - Throws: `.shapeMismatch` when `groups` does not divide `channels` or the parameter counts differ.
    public init(groups: Int, channels: Int, eps: Float, weight: [Float], bias: [Float]) throws(TensorError) {
        guard groups >= 1, channels % groups == 0, weight.count == channels, bias.count == channels else {
            throw TensorError(.shapeMismatch, "group norm: \(groups) groups, \(channels) channels, \(weight.count) weights, \(bias.count) biases")
        }
        self.groups = groups
        self.channels = channels
        self.eps = eps
        gamma = weight
        beta = bias
    }

    /// Normalises `input` into `output` (which may be `input`), then applies SiLU when asked.
    /// - Parameters:
    ///   - input: The image.
    ///   - output: A map of the same size.
    ///   - silu: Whether SiLU follows.
    public func apply(_ input: FeatureMap, into output: FeatureMap, silu: Bool) {
        precondition(input.channels == channels && output.count == input.count, "group norm over \(channels) channels")
        gamma.withUnsafeBufferPointer { gamma in
            beta.withUnsafeBufferPointer { beta in
                sgid_group_norm_nhwc(input.values, Int32(input.pixels), Int32(channels), Int32(channels), Int32(groups), eps,
                                     gamma.baseAddress, beta.baseAddress, silu ? 1 : 0, output.values, Int32(channels))
            }
        }
    }
}

/// Elementwise activations and arithmetic on contiguous floats.
public enum Elementwise {
    /// `y = x · sigmoid(x)`, in place allowed.
    /// - Parameters:
    ///   - input: Values.
    ///   - output: Room for as many.
    ///   - count: How many.
    public static func silu(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, count: Int) {
        sgid_silu(input, output, count)
    }

    /// `a[i] += b[i]`.
    /// - Parameters:
    ///   - a: Values updated.
    ///   - b: Values added.
    ///   - count: How many.
    public static func add(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count: Int) {
        for index in 0..<count { a[index] += b[index] }
    }

    /// Adds `bias[c]` to channel `c` of every pixel.
    /// - Parameters:
    ///   - map: The image.
    ///   - bias: `map.channels` values.
    public static func addPerChannel(_ map: FeatureMap, _ bias: UnsafePointer<Float>) {
        let channels = map.channels
        for pixel in 0..<map.pixels {
            let row = map.values + pixel * channels
            for channel in 0..<channels { row[channel] += bias[channel] }
        }
    }

    /// `a[i] = (a[i] + b[i]) / divisor` (a residual connection with an output scale factor).
    /// - Parameters:
    ///   - a: Values updated.
    ///   - b: Values added.
    ///   - count: How many.
    ///   - divisor: The scale factor (1 leaves the sum).
    public static func addAndDivide(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count: Int, divisor: Float) {
        if divisor == 1 {
            add(a, b, count: count)
        } else {
            for index in 0..<count { a[index] = (a[index] + b[index]) / divisor }
        }
    }
}
