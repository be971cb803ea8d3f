/// A WebDataset: tar shards (local `.tar`/`.tar.gz`/`.tar.zst`, or `pipe:CMD` streams) whose members group into
/// samples exactly as Python `webdataset` 1.0.2 groups them (see `WebDatasetShardReader`).
///
/// ```swift
/// let dataset = try WebDatasetDataset("data/train-{000000..000127}.tar")
/// var reader = try dataset.open(shard: 0)
/// while let sample = try reader.next() { print(sample.key, sample.label ?? -1) }
/// ```
public struct WebDatasetDataset: ShardedDataset {
    /// The shard URLs in canonical order (the expansion of the specification).
    public let shards: [String]
    /// How samples are decoded.
    public let options: WebDatasetOptions

    /// Class names by label (`options.classNames`; empty when unknown).
    public var classNames: [String] { options.classNames }

    /// Creates a dataset from a shard specification (brace patterns joined by `::`, see `ShardPattern`).
    /// - Parameters:
    ///   - specification: E.g. `data/train-{000000..000127}.tar` or `pipe:curl -s https://host/train-{0..9}.tar`.
    ///   - options: How samples are decoded; `secureMode` refuses `pipe:` URLs here already.
    /// - Throws: `LoaderError` of kind `.invalidArgument` for a bad pattern or an empty URL; `.io` for `pipe:` in
    ///   secure mode.
    public init(_ specification: String, options: WebDatasetOptions = WebDatasetOptions()) throws(LoaderError) {
        try self.init(shards: try ShardPattern.expand(specification, secureMode: options.secureMode), options: options)
    }

    /// Creates a dataset from shard URLs as they are (no expansion).
    /// - Parameters:
    ///   - shards: The URLs.
    ///   - options: How samples are decoded.
    /// - Throws: `LoaderError` of kind `.invalidArgument` when the list or a URL is empty; `.io` for `pipe:` in
    ///   secure mode.
    public init(shards: [String], options: WebDatasetOptions = WebDatasetOptions()) throws(LoaderError) {
        guard !shards.isEmpty else { throw LoaderError(.invalidArgument, "no shards given") }
        if let empty = shards.firstIndex(where: \.isEmpty) {
            throw LoaderError(.invalidArgument, "shard URL \(empty) is empty")
        }
        if options.secureMode, let pipe = shards.first(where: { $0.hasPrefix("pipe:") }) {
            throw ShardPattern.refusedPipe(pipe)
        }
        self.shards = shards
        self.options = options
    }

    /// Opens a shard for reading.
    /// - Parameter index: Index into `shards`.
    /// - Returns: A reader positioned at the shard's first sample.
    /// - Throws: `LoaderError` of kind `.invalidArgument` for an index out of range; otherwise as
    ///   `WebDatasetShardReader.init(url:options:)`.
    public func open(shard index: Int) throws(LoaderError) -> WebDatasetShardReader {
        try open(shard: index, resynchronizing: false)
    }

    /// Opens a shard for reading, getting past damaged tar headers when asked (the loader's skip and warn policies):
    /// the reader then goes on from the next valid header, as GNU tar does, where webdataset would stop.
    /// - Parameters:
    ///   - index: Index into `shards`.
    ///   - resynchronizing: Whether to resynchronise after a damaged header (`options.tarOptions.resynchronizes`
    ///     set also makes `open(shard:)` do it).
    /// - Returns: A reader positioned at the shard's first sample.
    /// - Throws: As `open(shard:)`.
    public func open(shard index: Int, resynchronizing: Bool) throws(LoaderError) -> WebDatasetShardReader {
        guard shards.indices.contains(index) else {
            throw LoaderError(.invalidArgument, "shard index \(index) is outside 0..<\(shards.count)")
        }
        var readerOptions = options
        readerOptions.tarOptions.resynchronizes = options.tarOptions.resynchronizes || resynchronizing
        return try WebDatasetShardReader(url: shards[index], options: readerOptions)
    }
}
