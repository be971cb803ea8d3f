import Augment
import ImageCodec
import Foundation

/// How a `DataLoader` reads, orders, splits and collates.
public struct LoaderConfiguration: Sendable, Hashable {
    /// What an `IndexedDataset` rank does when the samples do not split evenly across ranks.
    public enum UnevenSplit: String, Sendable, Codable {
        /// Repeat samples from the start of the epoch's order so every rank gets the same count (DistributedSampler).
        case pad
        /// Drop the tail so every rank gets the same count.
        case drop
        /// Give ranks different counts (only safe without collective operations per batch).
        case allow
    }

    /// Samples per batch.
    public var batchSize: Int
    /// The images' layout in each batch.
    public var output: OutputFormat
    /// The run's seed: orders and augmentations derive from (seed, epoch, position).
    public var seed: UInt64
    /// This process's rank.
    public var rank: Int
    /// The number of ranks.
    public var worldSize: Int
    /// Decode/augment threads.
    public var threads: Int
    /// Batches prepared ahead of the consumer at most.
    public var prefetchBatches: Int
    /// Shuffle (a full permutation for indexed datasets; shard shuffle plus a sample buffer for sharded ones).
    public var shuffle: Bool
    /// Shuffle buffer size for sharded datasets (webdataset's `bufsize`).
    public var shuffleBuffer: Int
    /// Samples buffered before the first is emitted (webdataset's `initial`).
    public var shuffleInitial: Int
    /// Drop a last batch smaller than `batchSize`.
    public var dropLast: Bool
    /// How indexed datasets split unevenly across ranks.
    public var unevenSplit: UnevenSplit
    /// Sharded datasets: how many samples each rank yields per epoch. Default `.auto`: the same count on every rank,
    /// `ceil(N / worldSize)`, covering every sample (see `SamplesPerRank`); `.shards` is the old uneven one pass.
    public var samplesPerRank: SamplesPerRank
    /// What to do with samples that fail to read, decode or augment.
    public var corruptPolicy: CorruptSamplePolicy
    /// Whether a sample without an image part (webdataset yields `__meta__.json`-only or text-only samples as
    /// ordinary samples) is an error handled by `corruptPolicy`. Default false: such samples are skipped and counted
    /// (`EpochSummary.skipped["noImage"]`) whatever the policy.
    public var requiresImage = false
    /// Exact (Pillow-identical) or fast (fused region + DCT-scaled) decoding.
    public var decodeMode: DecodeMode
    /// The channels images are decoded to: RGB (torchvision's default loader, `convert('RGB')`) or gray
    /// (`convert('L')`, one channel: MNIST-style data and single-channel generators).
    public var colorMode: ColorMode
    /// Batch augmentation (Mixup/CutMix, timm semantics) applied to every collated batch, drawing from the batch's
    /// own stream (seed, epoch, batch number); the batch then carries soft `targets`. `nil` = none.
    public var mixup: Mixup?
    /// The name the epoch's producer and worker threads carry (shown by `top -H`, `gdb` and `/proc/<pid>/task/*/comm`;
    /// Linux keeps the first 15 bytes). Default `sgid-loader`.
    public var threadName = "sgid-loader"

    /// Creates a configuration.
    /// - Parameters:
    ///   - batchSize: Samples per batch (> 0).
    ///   - output: Image layout (default UInt8 NHWC).
    ///   - seed: The run's seed.
    ///   - rank: This rank (0 ..< worldSize).
    ///   - worldSize: The number of ranks.
    ///   - threads: Worker threads (default: active cores).
    ///   - prefetchBatches: Batches in flight at most (default 4).
    ///   - shuffle: Shuffle (default true).
    ///   - shuffleBuffer: Sharded shuffle buffer (default 1000, as webdataset).
    ///   - shuffleInitial: Initial fill (default 100, as webdataset).
    ///   - dropLast: Drop a short last batch (default false).
    ///   - unevenSplit: Uneven split handling for indexed datasets (default pad).
    ///   - samplesPerRank: Samples per rank per epoch for sharded datasets (default `.auto`, equal on every rank).
    ///   - corruptPolicy: Corrupt-sample handling (default fail).
    ///   - decodeMode: Exact (default) or fast.
    ///   - mixup: Batch Mixup/CutMix (default none).
    ///   - colorMode: Decode to RGB (default) or gray.
    public init(batchSize: Int, output: OutputFormat = .uint8NHWC, seed: UInt64 = 0, rank: Int = 0, worldSize: Int = 1,
                threads: Int = LoaderConfiguration.defaultThreads, prefetchBatches: Int = 4, shuffle: Bool = true,
                shuffleBuffer: Int = 1000, shuffleInitial: Int = 100, dropLast: Bool = false,
                unevenSplit: UnevenSplit = .pad, samplesPerRank: SamplesPerRank = .auto, corruptPolicy: CorruptSamplePolicy = .fail,
                decodeMode: DecodeMode = .exact, mixup: Mixup? = nil, colorMode: ColorMode = .rgb) {
        self.batchSize = batchSize
        self.output = output
        self.seed = seed
        self.rank = rank
        self.worldSize = worldSize
        self.threads = threads
        self.prefetchBatches = prefetchBatches
        self.shuffle = shuffle
        self.shuffleBuffer = shuffleBuffer
        self.shuffleInitial = shuffleInitial
        self.dropLast = dropLast
        self.unevenSplit = unevenSplit
        self.samplesPerRank = samplesPerRank
        self.corruptPolicy = corruptPolicy
        self.decodeMode = decodeMode
        self.mixup = mixup
        self.colorMode = colorMode
    }

    /// The number of active cores.
    public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Checks the configuration.
    /// - Throws: `LoaderError.Kind.invalidArgument` naming the bad setting.
    func validate() throws(LoaderError) {
        guard batchSize > 0 else { throw LoaderError(.invalidArgument, "batch size must be positive, got \(batchSize)") }
        guard worldSize > 0, (0..<worldSize).contains(rank) else {
            throw LoaderError(.invalidArgument, "rank \(rank) is outside world size \(worldSize)")
        }
        guard threads > 0 else { throw LoaderError(.invalidArgument, "threads must be positive, got \(threads)") }
        guard prefetchBatches > 0 else { throw LoaderError(.invalidArgument, "prefetch must be at least 1 batch") }
        guard shuffleBuffer > 0, shuffleInitial >= 0 else {
            throw LoaderError(.invalidArgument, "shuffle buffer must be positive and the initial fill non-negative")
        }
        if mixup != nil, batchSize % 2 != 0 {
            throw LoaderError(.invalidArgument, "Mixup/CutMix need an even batch size, got \(batchSize)")
        }
        if case .fixed(let samplesPerRank) = samplesPerRank, samplesPerRank <= 0 {
            throw LoaderError(.invalidArgument, "samples per rank must be positive, got \(samplesPerRank)")
        }
    }
}
