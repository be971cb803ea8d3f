import Tensor

/// diffusers' `ResnetBlock2D` (pre-norm, SiLU, time embedding per channel): GroupNorm → SiLU → conv 3×3 → + time
/// projection (or scale and shift after the second norm) → GroupNorm → SiLU → conv 3×3 → + input (through a 1×1
/// `conv_shortcut` when the channel count changes) → ÷ `output_scale_factor`.
struct ResnetBlock: Sendable {
    let inChannels: Int
    let outChannels: Int
    let norm1: GroupNorm
    let conv1: Conv2D
    let timeProjection: Linear
    let norm2: GroupNorm
    let conv2: Conv2D
    let shortcut: Conv2D?
    let outputScaleFactor: Float
    let timeShift: UNet2DConfig.TimeScaleShift

    init(_ weights: WeightStore, _ prefix: String, in inChannels: Int, out outChannels: Int, config: UNet2DConfig,
         outputScaleFactor: Double = 1) throws(DiffusionError) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        let groups = config.normNumGroups, eps = config.normEps
        norm1 = try weights.groupNorm(prefix + ".norm1", groups: groups, channels: inChannels, eps: eps)
        conv1 = try weights.conv(prefix + ".conv1", in: inChannels, out: outChannels, kernel: 3, padding: Padding(1))
        timeShift = config.resnetTimeScaleShift
        timeProjection = try weights.linear(prefix + ".time_emb_proj", in: config.timeEmbedDim,
                                            out: timeShift == .scaleShift ? 2 * outChannels : outChannels)
        norm2 = try weights.groupNorm(prefix + ".norm2", groups: groups, channels: outChannels, eps: eps)
        conv2 = try weights.conv(prefix + ".conv2", in: outChannels, out: outChannels, kernel: 3, padding: Padding(1))
        shortcut = inChannels == outChannels ? nil
            : try weights.conv(prefix + ".conv_shortcut", in: inChannels, out: outChannels, kernel: 1, padding: Padding(0))
        self.outputScaleFactor = Float(outputScaleFactor)
    }

    func multiplyAdds(height: Int, width: Int) -> Int {
        conv1.multiplyAdds(height: height, width: width) + conv2.multiplyAdds(height: height, width: width)
            + (shortcut?.multiplyAdds(height: height, width: width) ?? 0)
    }

    /// The buffers one worker needs to run the block on one image size.
    final class Buffers {
        let normalized: FeatureMap
        let hidden: FeatureMap
        let output: FeatureMap
        let shortcut: FeatureMap?
        var time: [Float]

        init(_ block: ResnetBlock, height: Int, width: Int) {
            normalized = FeatureMap(height: height, width: width, channels: block.inChannels)
            hidden = FeatureMap(height: height, width: width, channels: block.outChannels)
            output = FeatureMap(height: height, width: width, channels: block.outChannels)
            shortcut = block.shortcut == nil ? nil : FeatureMap(height: height, width: width, channels: block.outChannels)
            time = [Float](repeating: 0, count: block.timeProjection.outFeatures)
        }
    }

    /// Runs the block; the result is `buffers.output`.
    /// - Parameters:
    ///   - input: `inChannels` channels.
    ///   - activatedTime: SiLU of the time embedding.
    ///   - buffers: This block's buffers for the input's size.
    ///   - workspace: Scratch.
    func apply(_ input: FeatureMap, activatedTime: UnsafePointer<Float>, buffers: Buffers, workspace: Workspace) {
        norm1.apply(input, into: buffers.normalized, silu: true)
        conv1.apply(buffers.normalized, into: buffers.hidden, workspace: workspace)
        buffers.time.withUnsafeMutableBufferPointer { time in
            timeProjection.apply(activatedTime, rows: 1, into: time.baseAddress!)
            switch timeShift {
            case .default:
                Elementwise.addPerChannel(buffers.hidden, time.baseAddress!)
                norm2.apply(buffers.hidden, into: buffers.hidden, silu: true)
            case .scaleShift:
                norm2.apply(buffers.hidden, into: buffers.hidden, silu: false)
                let channels = outChannels
                for pixel in 0..<buffers.hidden.pixels {
                    let row = buffers.hidden.values + pixel * channels
                    for channel in 0..<channels { row[channel] = row[channel] * (1 + time[channel]) + time[channels + channel] }
                }
                Elementwise.silu(buffers.hidden.values, into: buffers.hidden.values, count: buffers.hidden.count)
            }
        }
        conv2.apply(buffers.hidden, into: buffers.output, workspace: workspace)
        var residual = input
        if let shortcut, let mapped = buffers.shortcut {
            shortcut.apply(input, into: mapped, workspace: workspace)
            residual = mapped
        }
        Elementwise.addAndDivide(buffers.output.values, residual.values, count: buffers.output.count, divisor: outputScaleFactor)
    }
}

/// An attention layer of a UNet2D block, with its weights' names (`…attentions.N.to_q` and so on).
enum AttentionLayer {
    /// Builds diffusers' `Attention(channels, heads = channels / headDim, dim_head = headDim, residual_connection,
    /// bias)` from its weights.
    static func load(_ weights: WeightStore, _ prefix: String, channels: Int, headDim: Int?, normGroups: Int?, eps: Double,
                     rescaleOutputFactor: Double) throws(DiffusionError) -> SpatialAttention {
        let dimension = headDim ?? channels
        let heads = channels / dimension
        guard heads >= 1 else {
            throw DiffusionError(.unsupported, "\(prefix): attention_head_dim \(dimension) is larger than its \(channels) channels",
                                 file: weights.file.location)
        }
        let inner = heads * dimension
        let norm = try normGroups.map { (groups) throws(DiffusionError) in
            try weights.groupNorm(prefix + ".group_norm", groups: groups, channels: channels, eps: eps)
        }
        let query = try weights.linear(prefix + ".to_q", in: channels, out: inner)
        let key = try weights.linear(prefix + ".to_k", in: channels, out: inner)
        let value = try weights.linear(prefix + ".to_v", in: channels, out: inner)
        let out = try weights.linear(prefix + ".to_out.0", in: inner, out: channels)
        return try weights.wrap { () throws(TensorError) in
            try SpatialAttention(channels: channels, heads: heads, headDim: dimension, norm: norm, query: query, key: key,
                                 value: value, out: out, rescaleOutputFactor: Float(rescaleOutputFactor))
        }
    }
}
