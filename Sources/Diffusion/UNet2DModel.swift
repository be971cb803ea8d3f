import Foundation
import Tensor

/// A diffusers `UNet2DModel`, loaded from the folder `save_pretrained` writes (`config.json` +
/// `diffusion_pytorch_model.safetensors`) and run natively: the same blocks, weights and order of operations
/// (`forward` of `unet_2d.py`), channels-last on the Tensor kernels. Immutable and shared by all workers; each worker
/// runs it through its own `UNetExecutor`.
public final class UNet2DModel: Sendable {
    /// A down block.
    struct Down: Sendable {
        let resnets: [ResnetBlock]
        let attentions: [SpatialAttention]
        let downsampler: Conv2D?
    }

    /// An up block.
    struct Up: Sendable {
        let resnets: [ResnetBlock]
        let attentions: [SpatialAttention]
        let upsampler: Conv2D?
    }

    /// The mid block.
    struct Mid: Sendable {
        let first: ResnetBlock
        let attention: SpatialAttention?
        let second: ResnetBlock
    }

    /// The configuration.
    public let config: UNet2DConfig
    /// The folder it was loaded from.
    public let folder: String
    let convIn: Conv2D
    let timeProjection: SinusoidalTimestepProjection
    let timeLinear1: Linear
    let timeLinear2: Linear
    let classEmbedding: [Float]?
    let downs: [Down]
    let mid: Mid?
    let ups: [Up]
    let normOut: GroupNorm
    let convOut: Conv2D

    /// Loads a model folder.
    /// - Parameter folder: Holds `config.json` and `diffusion_pytorch_model.safetensors`.
    /// - Throws: `DiffusionError` naming the file and key or tensor: a missing file, bad JSON, an unsupported value, a
    ///   missing or mis-shaped tensor, or tensors the configuration does not use.
    public init(folder: String) throws(DiffusionError) {
        do {
            try BLAS.load()
        } catch {
            throw DiffusionError(.missingFile, error.message)
        }
        self.folder = folder
        let config = try UNet2DConfig(file: folder + "/config.json")
        self.config = config
        let weights = try WeightStore(path: folder + "/diffusion_pytorch_model.safetensors")
        let channels = config.blockOutChannels, temb = config.timeEmbedDim
        convIn = try weights.conv("conv_in", in: config.inChannels, out: channels[0], kernel: 3, padding: Padding(1))
        timeProjection = SinusoidalTimestepProjection(dimension: channels[0], flipSinToCos: config.flipSinToCos,
                                                      frequencyShift: Float(config.freqShift))
        timeLinear1 = try weights.linear("time_embedding.linear_1", in: channels[0], out: temb)
        timeLinear2 = try weights.linear("time_embedding.linear_2", in: temb, out: temb)
        classEmbedding = try config.numClassEmbeds.map { (classes) throws(DiffusionError) in
            try weights.values("class_embedding.weight", [classes, temb])
        }
        var downs: [Down] = []
        var output = channels[0]
        for (index, type) in config.downBlocks.enumerated() {
            let input = output
            output = channels[index]
            let prefix = "down_blocks.\(index)"
            var resnets: [ResnetBlock] = [], attentions: [SpatialAttention] = []
            for layer in 0..<config.layersPerBlock {
                resnets.append(try ResnetBlock(weights, "\(prefix).resnets.\(layer)", in: layer == 0 ? input : output, out: output, config: config))
                if type == .attention {
                    attentions.append(try AttentionLayer.load(weights, "\(prefix).attentions.\(layer)", channels: output,
                                                              headDim: config.attentionHeadDim, normGroups: config.normNumGroups,
                                                              eps: config.normEps, rescaleOutputFactor: 1))
                }
            }
            let last = index == channels.count - 1
            let padding = config.downsamplePadding == 1 ? Padding(1) : Padding(top: 0, left: 0, bottom: 1, right: 1)
            let downsampler = last ? nil : try weights.conv("\(prefix).downsamplers.0.conv", in: output, out: output, kernel: 3,
                                                           stride: 2, padding: padding)
            downs.append(Down(resnets: resnets, attentions: attentions, downsampler: downsampler))
        }
        self.downs = downs
        if config.hasMidBlock {
            let width = channels.last!
            let groups = config.attnNormNumGroups ?? (config.resnetTimeScaleShift == .default ? config.normNumGroups : nil)
            mid = Mid(
                first: try ResnetBlock(weights, "mid_block.resnets.0", in: width, out: width, config: config,
                                       outputScaleFactor: config.midBlockScaleFactor),
                attention: config.addAttention
                    ? try AttentionLayer.load(weights, "mid_block.attentions.0", channels: width, headDim: config.attentionHeadDim,
                                              normGroups: groups, eps: config.normEps, rescaleOutputFactor: config.midBlockScaleFactor)
                    : nil,
                second: try ResnetBlock(weights, "mid_block.resnets.1", in: width, out: width, config: config,
                                        outputScaleFactor: config.midBlockScaleFactor))
        } else {
            mid = nil
        }
        let reversed = Array(channels.reversed())
        var ups: [Up] = []
        output = reversed[0]
        for (index, type) in config.upBlocks.enumerated() {
            let previous = output
            output = reversed[index]
            let input = reversed[min(index + 1, channels.count - 1)]
            let prefix = "up_blocks.\(index)"
            let layers = config.layersPerBlock + 1
            var resnets: [ResnetBlock] = [], attentions: [SpatialAttention] = []
            for layer in 0..<layers {
                let skip = layer == layers - 1 ? input : output
                let resnetInput = layer == 0 ? previous : output
                resnets.append(try ResnetBlock(weights, "\(prefix).resnets.\(layer)", in: resnetInput + skip, out: output, config: config))
                if type == .attention {
                    attentions.append(try AttentionLayer.load(weights, "\(prefix).attentions.\(layer)", channels: output,
                                                              headDim: config.attentionHeadDim, normGroups: config.normNumGroups,
                                                              eps: config.normEps, rescaleOutputFactor: 1))
                }
            }
            let last = index == channels.count - 1
            let upsampler = last ? nil : try weights.conv("\(prefix).upsamplers.0.conv", in: output, out: output, kernel: 3,
                                                         padding: Padding(1))
            ups.append(Up(resnets: resnets, attentions: attentions, upsampler: upsampler))
        }
        self.ups = ups
        normOut = try weights.groupNorm("conv_norm_out", groups: config.normNumGroups, channels: channels[0], eps: config.normEps)
        convOut = try weights.conv("conv_out", in: channels[0], out: config.outChannels, kernel: 3, padding: Padding(1))
        try weights.refuseUnused()
    }

    /// Multiply-adds of one forward pass at an image size (convolutions, attention, linear layers of the resnets).
    /// - Parameters:
    ///   - height: Rows.
    ///   - width: Columns.
    /// - Returns: The count (one multiply-add is two floating-point operations).
    public func multiplyAdds(height: Int, width: Int) -> Int {
        var total = convIn.multiplyAdds(height: height, width: width) + convOut.multiplyAdds(height: height, width: width)
        var (h, w) = (height, width)
        for down in downs {
            total += down.resnets.reduce(0) { $0 + $1.multiplyAdds(height: h, width: w) }
            total += down.attentions.reduce(0) { $0 + $1.multiplyAdds(pixels: h * w) }
            if let downsampler = down.downsampler {
                total += downsampler.multiplyAdds(height: h, width: w)
                (h, w) = downsampler.outputSize(height: h, width: w)
            }
        }
        if let mid {
            total += mid.first.multiplyAdds(height: h, width: w) + mid.second.multiplyAdds(height: h, width: w)
                + (mid.attention?.multiplyAdds(pixels: h * w) ?? 0)
        }
        for up in ups {
            total += up.resnets.reduce(0) { $0 + $1.multiplyAdds(height: h, width: w) }
            total += up.attentions.reduce(0) { $0 + $1.multiplyAdds(pixels: h * w) }
            if let upsampler = up.upsampler {
                (h, w) = (2 * h, 2 * w)
                total += upsampler.multiplyAdds(height: h, width: w)
            }
        }
        return total
    }

    /// An executor for images of a size (each worker thread makes its own).
    /// - Parameters:
    ///   - height: Rows.
    ///   - width: Columns.
    /// - Returns: The executor.
    /// - Throws: `.invalidArgument` when the size does not fit the blocks.
    public func executor(height: Int, width: Int) throws(DiffusionError) -> UNetExecutor {
        if let problem = config.sizeProblem(height: height, width: width) {
            throw DiffusionError(.invalidArgument, "image size: \(problem)", file: folder + "/config.json")
        }
        return UNetExecutor(model: self, height: height, width: width)
    }
}
