/// The configuration of a diffusers `UNet2DModel` (its `config.json`), as far as the native runtime implements it.
/// Every key `save_pretrained` writes is read; a value the runtime does not implement, or a key it does not know, is
/// refused with an error naming it, so a folder never silently becomes a different model.
public struct UNet2DConfig: Sendable, Hashable {
    /// A down block's type.
    public enum DownBlock: String, Sendable, Hashable {
        /// Resnets, then a stride-2 convolution.
        case plain = "DownBlock2D"
        /// Resnets each followed by attention, then a stride-2 convolution.
        case attention = "AttnDownBlock2D"
    }

    /// An up block's type.
    public enum UpBlock: String, Sendable, Hashable {
        /// Resnets on the concatenated skips, then nearest 2× and a convolution.
        case plain = "UpBlock2D"
        /// The same with attention after each resnet.
        case attention = "AttnUpBlock2D"
    }

    /// How the time embedding enters a resnet.
    public enum TimeScaleShift: String, Sendable, Hashable {
        /// Added to the hidden state after the first convolution.
        case `default`
        /// Split into a scale and a shift applied after the second norm.
        case scaleShift = "scale_shift"
    }

    /// A height and width.
    public struct Size: Sendable, Hashable {
        /// Rows.
        public var height: Int
        /// Columns.
        public var width: Int
    }

    /// Image height and width the model was trained on.
    public var sampleSize: Size?
    /// Input channels.
    public var inChannels: Int
    /// Output channels.
    public var outChannels: Int
    /// Whether inputs are mapped `x → 2x − 1` first.
    public var centerInputSample: Bool
    /// The timestep projection's frequency shift.
    public var freqShift: Double
    /// Whether cosines come first in the timestep projection.
    public var flipSinToCos: Bool
    /// Down blocks.
    public var downBlocks: [DownBlock]
    /// Whether there is a mid block.
    public var hasMidBlock: Bool
    /// Up blocks.
    public var upBlocks: [UpBlock]
    /// Channels per resolution level.
    public var blockOutChannels: [Int]
    /// Resnets per down block (up blocks have one more).
    public var layersPerBlock: Int
    /// The mid block's output scale factor.
    public var midBlockScaleFactor: Double
    /// Padding of the downsampling convolutions (0 pads right and bottom by one instead).
    public var downsamplePadding: Int
    /// Features per attention head (`nil`: one head over all channels).
    public var attentionHeadDim: Int?
    /// GroupNorm groups.
    public var normNumGroups: Int
    /// Groups of the mid block's attention norm (`nil`: as the resnets when the time shift is `default`).
    public var attnNormNumGroups: Int?
    /// Epsilon of every GroupNorm.
    public var normEps: Double
    /// How the time embedding enters resnets.
    public var resnetTimeScaleShift: TimeScaleShift
    /// Whether the mid block has attention.
    public var addAttention: Bool
    /// Class embeddings (`nil`: unconditional).
    public var numClassEmbeds: Int?
    /// The time embedding's width (`nil`: 4 × the first block's channels).
    public var timeEmbeddingDim: Int?

    /// The time embedding's width.
    public var timeEmbedDim: Int { timeEmbeddingDim ?? blockOutChannels[0] * 4 }

    /// Reads a `config.json`.
    /// - Parameter file: The path.
    /// - Throws: `DiffusionError` naming the file and key for bad JSON, wrong types, unsupported values and unknown keys.
    public init(file: String) throws(DiffusionError) {
        var reader = try ConfigReader(file: file)
        if let name = reader.values["_class_name"] as? String, name != "UNet2DModel" {
            throw DiffusionError(.unsupported, "is a \(name), not a UNet2DModel", file: file)
        }
        if reader.has("sample_size") {
            if let size = try? reader.integer("sample_size") {
                sampleSize = Size(height: size, width: size)
            } else if let sizes = try? reader.integers("sample_size"), sizes.count == 2 {
                sampleSize = Size(height: sizes[0], width: sizes[1])
            } else {
                throw DiffusionError(.badConfig, "'sample_size' must be an integer or [height, width]", file: file)
            }
        } else {
            reader.ignore("sample_size")
        }
        inChannels = try reader.integer("in_channels", default: 3)!
        outChannels = try reader.integer("out_channels", default: 3)!
        centerInputSample = try reader.bool("center_input_sample", default: false)
        let timeType = try reader.string("time_embedding_type", default: "positional")!
        guard timeType == "positional" else { throw reader.unsupported("time_embedding_type", timeType, supported: "positional") }
        freqShift = try reader.number("freq_shift", default: 0)!
        flipSinToCos = try reader.bool("flip_sin_to_cos", default: true)
        let downNames = try reader.strings("down_block_types", default: ["DownBlock2D", "AttnDownBlock2D", "AttnDownBlock2D", "AttnDownBlock2D"])!
        downBlocks = try downNames.map { (name) throws(DiffusionError) -> DownBlock in
            guard let block = DownBlock(rawValue: name) else { throw reader.unsupported("down_block_types", name, supported: "DownBlock2D, AttnDownBlock2D") }
            return block
        }
        // Absent: the default mid block; an explicit null: none.
        let explicitNone = reader.values.keys.contains("mid_block_type") && !reader.has("mid_block_type")
        let midName = try reader.string("mid_block_type", default: "UNetMidBlock2D")!
        guard explicitNone || midName == "UNetMidBlock2D" else {
            throw reader.unsupported("mid_block_type", midName, supported: "UNetMidBlock2D, null")
        }
        hasMidBlock = !explicitNone
        let upNames = try reader.strings("up_block_types", default: ["AttnUpBlock2D", "AttnUpBlock2D", "AttnUpBlock2D", "UpBlock2D"])!
        upBlocks = try upNames.map { (name) throws(DiffusionError) -> UpBlock in
            guard let block = UpBlock(rawValue: name) else { throw reader.unsupported("up_block_types", name, supported: "UpBlock2D, AttnUpBlock2D") }
            return block
        }
        blockOutChannels = try reader.integers("block_out_channels", default: [224, 448, 672, 896])!
        layersPerBlock = try reader.integer("layers_per_block", default: 2)!
        midBlockScaleFactor = try reader.number("mid_block_scale_factor", default: 1)!
        downsamplePadding = try reader.integer("downsample_padding", default: 1)!
        for key in ["downsample_type", "upsample_type"] {
            let value = try reader.string(key, default: "conv")!
            guard value == "conv" else { throw reader.unsupported(key, value, supported: "conv") }
        }
        _ = try reader.number("dropout", default: 0)  // inference: dropout does nothing
        let activation = try reader.string("act_fn", default: "silu")!
        guard activation == "silu" || activation == "swish" else { throw reader.unsupported("act_fn", activation, supported: "silu") }
        // Absent: 8; an explicit null: one head over all channels.
        let headDimNull = reader.values.keys.contains("attention_head_dim") && !reader.has("attention_head_dim")
        if headDimNull {
            reader.ignore("attention_head_dim")
            attentionHeadDim = nil
        } else {
            attentionHeadDim = try reader.integer("attention_head_dim", default: 8)
        }
        normNumGroups = try reader.integer("norm_num_groups", default: 32)!
        attnNormNumGroups = try reader.integer("attn_norm_num_groups")
        normEps = try reader.number("norm_eps", default: 1e-5)!
        let shift = try reader.string("resnet_time_scale_shift", default: "default")!
        guard let timeShift = TimeScaleShift(rawValue: shift) else {
            throw reader.unsupported("resnet_time_scale_shift", shift, supported: "default, scale_shift")
        }
        resnetTimeScaleShift = timeShift
        addAttention = try reader.bool("add_attention", default: true)
        if let classType = try reader.string("class_embed_type") {
            throw reader.unsupported("class_embed_type", classType, supported: "null (an nn.Embedding of num_class_embeds)")
        }
        numClassEmbeds = try reader.integer("num_class_embeds")
        _ = try reader.integer("num_train_timesteps")  // used only by the "learned" time embedding
        timeEmbeddingDim = try reader.integer("time_embedding_dim")
        try reader.refuseUnknownKeys()
        try validate(file: file)
    }

    /// Checks what the blocks need of each other (diffusers raises on the same mistakes at construction).
    func validate(file: String) throws(DiffusionError) {
        func bad(_ message: String) -> DiffusionError { DiffusionError(.badConfig, message, file: file) }
        guard !blockOutChannels.isEmpty, blockOutChannels.count == downBlocks.count, downBlocks.count == upBlocks.count else {
            throw bad("block_out_channels, down_block_types and up_block_types must have the same, non-zero length")
        }
        guard inChannels >= 1, outChannels >= 1, layersPerBlock >= 1, normEps > 0 else {
            throw bad("in_channels, out_channels and layers_per_block must be ≥ 1 and norm_eps > 0")
        }
        guard normNumGroups >= 1, blockOutChannels.allSatisfy({ $0 >= 1 && $0 % normNumGroups == 0 }) else {
            throw bad("every block_out_channels value must be a multiple of norm_num_groups (\(normNumGroups))")
        }
        if let groups = attnNormNumGroups, groups < 1 || blockOutChannels.last! % groups != 0 {
            throw bad("attn_norm_num_groups must divide the last block's channels")
        }
        if let dim = attentionHeadDim, dim < 1 { throw bad("attention_head_dim must be ≥ 1") }
        if let classes = numClassEmbeds, classes < 1 { throw bad("num_class_embeds must be ≥ 1") }
        guard [0, 1].contains(downsamplePadding) else { throw bad("downsample_padding must be 0 or 1") }
        guard timeEmbedDim >= 1 else { throw bad("time_embedding_dim must be ≥ 1") }
    }

    /// Whether an image size fits the blocks (each downsampling halves it exactly, so the skips line up).
    /// - Parameters:
    ///   - height: Rows.
    ///   - width: Columns.
    /// - Returns: `nil` when it fits, else why not.
    public func sizeProblem(height: Int, width: Int) -> String? {
        let factor = 1 << (blockOutChannels.count - 1)
        guard height >= 1, width >= 1, height % factor == 0, width % factor == 0 else {
            return "\(width)×\(height) is not a multiple of \(factor) (2^(blocks − 1)) on both sides"
        }
        return nil
    }

}
