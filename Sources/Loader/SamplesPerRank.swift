/// How many samples each rank yields per epoch from a sharded dataset (WebDataset).
///
/// Data-parallel training needs every rank to run the same number of steps: a rank that runs out early leaves the
/// others waiting in a collective forever. `.auto` (the default) gives every rank the same count and still covers every
/// sample, like `DistributedSampler`; `.fixed(n)` is webdataset's `with_epoch(n)`; `.shards` is the plain
/// `split_by_node` pass whose per-rank lengths follow the shard sizes.
///
/// An integer literal means `.fixed`: `configuration.samplesPerRank = 40`.
public enum SamplesPerRank: Sendable, Hashable, Codable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// Every rank yields `ceil(N / worldSize)` samples, N being the samples of all shards (counted by one reading pass
    /// on the first epoch; no pass at world size 1). The epoch's global stream — every shard in the epoch's shard order,
    /// one after another — is cut into `worldSize` contiguous runs of that length, rank r taking run r, so shards may
    /// be split across ranks (as MosaicML streaming does) and fewer shards than ranks is fine. The last run is padded
    /// by wrapping to the start of the global stream, so `ceil(N / W) × W − N` samples appear twice per epoch, as
    /// `DistributedSampler` pads. A shard that reads shorter than it was counted is made up for from the stream after
    /// the rank's run, so the count stays exact. Samples the loader then skips (decode errors, no image) are not.
    case auto
    /// Every rank yields exactly this many samples, cycling through its own shards (split by shard, `split_by_node`)
    /// when they hold fewer and stopping early when they hold more (webdataset's `with_epoch(n)`). No counting pass.
    case fixed(Int)
    /// One pass over the rank's own shards (split by shard): ranks get as many samples as their shards hold, which
    /// differ when shard sizes do. Every sample exactly once; safe only without per-step collectives.
    case shards

    /// `.fixed(value)`.
    /// - Parameter value: Samples per rank.
    public init(integerLiteral value: Int) { self = .fixed(value) }

    /// Parses the CLI spelling: `auto`, `shards`, or a positive count.
    /// - Parameter text: The text.
    /// - Returns: The setting, or `nil` for anything else.
    public init?(_ text: String) {
        switch text {
        case "auto": self = .auto
        case "shards": self = .shards
        default:
            guard let count = Int(text), count > 0 else { return nil }
            self = .fixed(count)
        }
    }

    /// Decodes the CLI spelling (a JSON string such as `"auto"` or `"40"`).
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError.dataCorrupted` for anything else.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = SamplesPerRank(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected auto, shards or a positive count, got '\(text)'")
        }
        self = value
    }

    /// Encodes the CLI spelling as a JSON string.
    /// - Parameter encoder: The encoder.
    /// - Throws: What the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The CLI spelling (`auto`, `shards` or the count).
    public var description: String {
        switch self {
        case .auto: "auto"
        case .shards: "shards"
        case .fixed(let count): "\(count)"
        }
    }
}
