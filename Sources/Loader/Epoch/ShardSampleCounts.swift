import Foundation

/// The number of stream items (samples and read errors, as `readSequentially` hands them out) in each shard, counted
/// once by reading every shard and kept for the loader's later epochs. `SamplesPerRank.auto` plans ranks from it.
final class ShardSampleCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int]?
    private let count: () -> [Int]

    /// Creates the (not yet counted) counts of a dataset.
    /// - Parameters:
    ///   - dataset: The dataset.
    ///   - resynchronizing: Whether shards are read past damaged headers (must match how epochs read them).
    init<Sharded: ShardedDataset>(dataset: Sharded, resynchronizing: Bool) {
        count = {
            dataset.shards.indices.map { shard in
                var items = 0
                _ = dataset.readSequentially(shards: [shard], resynchronizing: resynchronizing) { _ in
                    items += 1
                    return true
                }
                return items
            }
        }
    }

    /// The per-shard counts, reading every shard on the first call.
    var values: [Int] {
        lock.lock()
        defer { lock.unlock() }
        if let counts { return counts }
        let counted = count()
        counts = counted
        return counted
    }
}
