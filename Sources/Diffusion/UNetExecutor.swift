import Tensor

/// Runs a `UNet2DModel` on images of one size, one image at a time, with every intermediate map allocated once and
/// reused for every call (nothing is allocated per step in steady state). One per worker thread; not thread-safe.
/// Each image's result depends only on its inputs, never on which worker ran it.
public final class UNetExecutor {
    /// The model.
    public let model: UNet2DModel
    /// Rows of the images.
    public let height: Int
    /// Columns of the images.
    public let width: Int

    private struct DownBuffers {
        var resnets: [ResnetBlock.Buffers]
        var attention: [FeatureMap]
        var downsampled: FeatureMap?
    }

    private struct UpBuffers {
        var concatenated: [FeatureMap]
        var resnets: [ResnetBlock.Buffers]
        var attention: [FeatureMap]
        var upsampled: FeatureMap?
        var convolved: FeatureMap?
    }

    private let input: FeatureMap
    private let first: FeatureMap
    private var downs: [DownBuffers] = []
    private var mid: (first: ResnetBlock.Buffers, attention: FeatureMap?, second: ResnetBlock.Buffers)?
    private var ups: [UpBuffers] = []
    private let normalizedOut: FeatureMap
    /// The prediction of the last call (channels-last, `outChannels` channels).
    public let output: FeatureMap
    private var time: [Float]
    private let workspace = Workspace()

    init(model: UNet2DModel, height: Int, width: Int) {
        self.model = model
        self.height = height
        self.width = width
        let config = model.config
        input = FeatureMap(height: height, width: width, channels: config.inChannels)
        first = FeatureMap(height: height, width: width, channels: config.blockOutChannels[0])
        var (h, w) = (height, width)
        for down in model.downs {
            var buffers = DownBuffers(resnets: [], attention: [], downsampled: nil)
            for resnet in down.resnets { buffers.resnets.append(ResnetBlock.Buffers(resnet, height: h, width: w)) }
            for attention in down.attentions { buffers.attention.append(FeatureMap(height: h, width: w, channels: attention.channels)) }
            if let downsampler = down.downsampler {
                let (oh, ow) = downsampler.outputSize(height: h, width: w)
                buffers.downsampled = FeatureMap(height: oh, width: ow, channels: downsampler.outChannels)
                (h, w) = (oh, ow)
            }
            downs.append(buffers)
        }
        if let block = model.mid {
            mid = (ResnetBlock.Buffers(block.first, height: h, width: w),
                   block.attention.map { FeatureMap(height: h, width: w, channels: $0.channels) },
                   ResnetBlock.Buffers(block.second, height: h, width: w))
        }
        for up in model.ups {
            var buffers = UpBuffers(concatenated: [], resnets: [], attention: [], upsampled: nil, convolved: nil)
            for resnet in up.resnets {
                buffers.concatenated.append(FeatureMap(height: h, width: w, channels: resnet.inChannels))
                buffers.resnets.append(ResnetBlock.Buffers(resnet, height: h, width: w))
            }
            for attention in up.attentions { buffers.attention.append(FeatureMap(height: h, width: w, channels: attention.channels)) }
            if let upsampler = up.upsampler {
                buffers.upsampled = FeatureMap(height: 2 * h, width: 2 * w, channels: upsampler.inChannels)
                buffers.convolved = FeatureMap(height: 2 * h, width: 2 * w, channels: upsampler.outChannels)
                (h, w) = (2 * h, 2 * w)
            }
            ups.append(buffers)
        }
        normalizedOut = FeatureMap(height: height, width: width, channels: config.blockOutChannels[0])
        output = FeatureMap(height: height, width: width, channels: config.outChannels)
        time = [Float](repeating: 0, count: config.timeEmbedDim)
    }

    /// The time embedding (with the class embedding added), then SiLU of it, as every resnet takes it.
    private func activatedTime(timestep: Float, classLabel: Int?) {
        let model = self.model
        let hidden = model.timeLinear1(model.timeProjection(timestep))
        var activated = hidden
        Elementwise.silu(hidden, into: &activated, count: hidden.count)
        var embedding = model.timeLinear2(activated)
        if let table = model.classEmbedding, let label = classLabel {
            let width = embedding.count
            for index in 0..<width { embedding[index] += table[label * width + index] }
        }
        Elementwise.silu(embedding, into: &time, count: embedding.count)
    }

    /// Predicts the model output for one image (noise, or v, as the model was trained).
    /// - Parameters:
    ///   - sample: `inChannels` channels at the executor's size, channels-last.
    ///   - timestep: The timestep.
    ///   - classLabel: The class index (required by class-conditional models; ignored by others).
    /// - Returns: `output`, valid until the next call.
    @discardableResult
    public func predict(_ sample: FeatureMap, timestep: Float, classLabel: Int?) -> FeatureMap {
        precondition(sample.height == height && sample.width == width && sample.channels == model.config.inChannels,
                     "the sample does not have the executor's size")
        let model = self.model, workspace = self.workspace
        if model.config.centerInputSample {
            for index in 0..<sample.count { input.values[index] = 2 * sample.values[index] - 1 }
        } else {
            input.copy(from: sample)
        }
        activatedTime(timestep: timestep, classLabel: classLabel)
        time.withUnsafeBufferPointer { timeBuffer in
            let activated = timeBuffer.baseAddress!
            model.convIn.apply(input, into: first, workspace: workspace)
            var skips: [FeatureMap] = [first]
            var current = first
            for (block, buffers) in zip(model.downs, downs) {
                for (index, resnet) in block.resnets.enumerated() {
                    resnet.apply(current, activatedTime: activated, buffers: buffers.resnets[index], workspace: workspace)
                    current = buffers.resnets[index].output
                    if index < block.attentions.count {
                        block.attentions[index].apply(current, normalized: buffers.attention[index], workspace: workspace)
                    }
                    skips.append(current)
                }
                if let downsampler = block.downsampler, let target = buffers.downsampled {
                    downsampler.apply(current, into: target, workspace: workspace)
                    current = target
                    skips.append(current)
                }
            }
            if let block = model.mid, let buffers = mid {
                block.first.apply(current, activatedTime: activated, buffers: buffers.first, workspace: workspace)
                current = buffers.first.output
                if let attention = block.attention, let scratch = buffers.attention {
                    attention.apply(current, normalized: scratch, workspace: workspace)
                }
                block.second.apply(current, activatedTime: activated, buffers: buffers.second, workspace: workspace)
                current = buffers.second.output
            }
            for (block, buffers) in zip(model.ups, ups) {
                for (index, resnet) in block.resnets.enumerated() {
                    let skip = skips.removeLast()
                    Self.concatenate(current, skip, into: buffers.concatenated[index])
                    resnet.apply(buffers.concatenated[index], activatedTime: activated, buffers: buffers.resnets[index], workspace: workspace)
                    current = buffers.resnets[index].output
                    if index < block.attentions.count {
                        block.attentions[index].apply(current, normalized: buffers.attention[index], workspace: workspace)
                    }
                }
                if let upsampler = block.upsampler, let upsampled = buffers.upsampled, let convolved = buffers.convolved {
                    Upsample.nearest2x(current, into: upsampled)
                    upsampler.apply(upsampled, into: convolved, workspace: workspace)
                    current = convolved
                }
            }
            model.normOut.apply(current, into: normalizedOut, silu: true)
            model.convOut.apply(normalizedOut, into: output, workspace: workspace)
        }
        return output
    }

    /// `torch.cat([a, b], dim=1)` in channels-last.
    static func concatenate(_ a: FeatureMap, _ b: FeatureMap, into target: FeatureMap) {
        precondition(a.pixels == b.pixels && target.pixels == a.pixels && target.channels == a.channels + b.channels,
                     "concatenated maps do not fit")
        let (ca, cb, ct) = (a.channels, b.channels, target.channels)
        for pixel in 0..<a.pixels {
            (target.values + pixel * ct).update(from: a.values + pixel * ca, count: ca)
            (target.values + pixel * ct + ca).update(from: b.values + pixel * cb, count: cb)
        }
    }
}
