/// Decides what a rank reads of a sharded dataset in each epoch, following `configuration.samplesPerRank`.
struct ShardPlanner: Sendable {
    private let shardCount: Int
    private let configuration: LoaderConfiguration
    private let counts: ShardSampleCounts

    /// Creates the planner of a dataset.
    /// - Parameters:
    ///   - dataset: The dataset.
    ///   - configuration: The loader's settings.
    init<Sharded: ShardedDataset>(dataset: Sharded, configuration: LoaderConfiguration) {
        shardCount = dataset.shards.count
        self.configuration = configuration
        counts = ShardSampleCounts(dataset: dataset, resynchronizing: configuration.corruptPolicy != .fail)
    }

    /// Checks that the ranks can be planned (without reading any shard).
    /// - Throws: `.invalidDataset` when ranks split by shard and there are fewer shards than ranks.
    func validate() throws(LoaderError) {
        if configuration.samplesPerRank != .auto {
            _ = try EpochOrder.shards(count: shardCount, configuration: configuration, epoch: 0)
        }
    }

    /// The rank's reading plan for an epoch (under `.auto` on several ranks, the producer counts every shard's items
    /// on the first epoch).
    /// - Parameter epoch: The epoch.
    /// - Returns: The plan.
    /// - Throws: `.invalidDataset` when ranks split by shard and there are fewer shards than ranks.
    func plan(epoch: Int) throws(LoaderError) -> ShardReadingPlan {
        switch configuration.samplesPerRank {
        case .shards:
            return .shards(try EpochOrder.shards(count: shardCount, configuration: configuration, epoch: epoch), limit: nil)
        case .fixed(let count):
            return .shards(try EpochOrder.shards(count: shardCount, configuration: configuration, epoch: epoch), limit: count)
        case .auto:
            var whole = configuration
            whole.rank = 0
            whole.worldSize = 1
            // The epoch's global shard order: what a single rank would read.
            let order = try EpochOrder.shards(count: shardCount, configuration: whole, epoch: epoch)
            // One rank reads the whole stream: no counting needed.
            guard configuration.worldSize > 1 else { return .shards(order, limit: nil) }
            return .equalRun(order: order, counts: counts)
        }
    }
}
