/// Where a loader stands, to resume mid-epoch in a new process: a loader built with the same dataset, pipeline and
/// configuration, started from this state, yields exactly the remaining batches.
public struct LoaderState: Sendable, Hashable, Codable {
    /// The epoch in progress.
    public var epoch: Int
    /// Batches already delivered in this epoch.
    public var batchesDelivered: Int
    /// Sequence numbers of the rank's stream consumed by those batches (including skipped samples).
    public var samplesConsumed: Int
    /// The run's seed.
    public var seed: UInt64
    /// The rank.
    public var rank: Int
    /// The number of ranks.
    public var worldSize: Int
    /// The batch size.
    public var batchSize: Int
    /// How a sharded dataset's epoch was split across ranks (`nil` in states saved before it was recorded, which split
    /// by shard: on several ranks such a state resumes only under `.shards`).
    public var samplesPerRank: SamplesPerRank?
    /// Whether the epoch was shuffled (`nil`: not recorded, not checked).
    public var shuffle: Bool?

    /// Creates a state.
    /// - Parameters:
    ///   - epoch: The epoch.
    ///   - batchesDelivered: Batches delivered so far.
    ///   - samplesConsumed: Sequence numbers consumed.
    ///   - seed: The seed.
    ///   - rank: The rank.
    ///   - worldSize: The world size.
    ///   - batchSize: The batch size.
    ///   - samplesPerRank: The sharded split (`nil`: not checked on resume).
    ///   - shuffle: Whether the epoch is shuffled (`nil`: not checked on resume).
    public init(epoch: Int, batchesDelivered: Int, samplesConsumed: Int, seed: UInt64, rank: Int, worldSize: Int,
                batchSize: Int, samplesPerRank: SamplesPerRank? = nil, shuffle: Bool? = nil) {
        self.epoch = epoch
        self.batchesDelivered = batchesDelivered
        self.samplesConsumed = samplesConsumed
        self.seed = seed
        self.rank = rank
        self.worldSize = worldSize
        self.batchSize = batchSize
        self.samplesPerRank = samplesPerRank
        self.shuffle = shuffle
    }

    /// The state at the start of an epoch, before any batch: where a run continues after finishing the one before.
    /// - Parameters:
    ///   - epoch: The epoch to start.
    ///   - configuration: The loader's settings.
    /// - Returns: The state.
    public static func start(of epoch: Int, configuration: LoaderConfiguration) -> LoaderState {
        LoaderState(epoch: epoch, batchesDelivered: 0, samplesConsumed: 0, seed: configuration.seed, rank: configuration.rank,
                    worldSize: configuration.worldSize, batchSize: configuration.batchSize,
                    samplesPerRank: configuration.samplesPerRank, shuffle: configuration.shuffle)
    }
}

/// What one epoch did, for logs and monitoring.
public struct EpochSummary: Sendable, Hashable, Codable {
    /// The epoch.
    public var epoch: Int
    /// Batches delivered.
    public var batches: Int
    /// Samples delivered in those batches.
    public var samples: Int
    /// Samples skipped by the corrupt-sample policy, by reason.
    public var skipped: [String: Int]
    /// The first skipped samples' full errors (at most 20).
    public var skippedExamples: [String]
    /// Bytes of damaged tar archives passed over to reach the next valid header (skip/warn policies), summed over
    /// the `corruptArchive` errors' `skippedBytes`.
    public var skippedArchiveBytes: UInt64
    /// Wall-clock seconds from the first request to the end.
    public var seconds: Double

    /// Total skipped samples.
    public var skippedCount: Int { skipped.values.reduce(0, +) }
    /// Delivered samples per second.
    public var imagesPerSecond: Double { seconds > 0 ? Double(samples) / seconds : 0 }
}
