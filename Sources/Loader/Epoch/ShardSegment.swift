/// A contiguous run of one shard's stream items that a rank reads: skip the first `skip`, then take `take`.
struct ShardSegment: Sendable, Hashable {
    /// Index into the dataset's shards.
    let shard: Int
    /// Items passed over at the start of the shard.
    let skip: Int
    /// Items taken after those.
    let take: Int
}

extension EpochOrder {
    /// This rank's segments under `SamplesPerRank.auto`: the epoch's global stream (all shards in `order`, one after
    /// another, `counts` items each) is cut into `worldSize` contiguous runs of `ceil(N / worldSize)` items; rank r
    /// reads run r, wrapping to the start of the global stream past its end (the padding).
    /// - Parameters:
    ///   - order: Shard indices in the epoch's order.
    ///   - counts: Items per shard, indexed by shard.
    ///   - rank: The rank.
    ///   - worldSize: The number of ranks.
    /// - Returns: The segments in reading order (empty when the shards hold nothing).
    static func equalSegments(order: [Int], counts: [Int], rank: Int, worldSize: Int) -> [ShardSegment] {
        let total = order.reduce(0) { $0 + counts[$1] }
        guard total > 0 else { return [] }
        let perRank = (total + worldSize - 1) / worldSize
        var starts: [Int] = []  // global offset of each shard of `order`
        var offset = 0
        for shard in order {
            starts.append(offset)
            offset += counts[shard]
        }
        var segments: [ShardSegment] = []
        var next = rank * perRank
        var remaining = perRank
        while remaining > 0 {
            let global = next % total
            // The last shard starting at or before `global` that is not empty holds it.
            var slot = 0
            while slot + 1 < order.count, starts[slot + 1] <= global { slot += 1 }
            while counts[order[slot]] == 0 || starts[slot] + counts[order[slot]] <= global { slot += 1 }
            let skip = global - starts[slot]
            let take = min(remaining, counts[order[slot]] - skip)
            segments.append(ShardSegment(shard: order[slot], skip: skip, take: take))
            next += take
            remaining -= take
        }
        return segments
    }
}
