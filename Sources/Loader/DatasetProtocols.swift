import Augment

/// A dataset whose samples can be read in any order by index (ImageFolder): the loader shuffles a full
/// permutation per epoch and splits samples across ranks.
public protocol IndexedDataset: Sendable {
    /// Number of samples.
    var count: Int { get }
    /// Class names by label (empty when the dataset has none).
    var classNames: [String] { get }
    /// Reads one sample (its image still encoded).
    /// - Parameter index: Position in the canonical order, 0 ..< count.
    /// - Returns: The sample.
    /// - Throws: `LoaderError` naming the file.
    func sample(at index: Int) throws(LoaderError) -> Sample
}

/// Reads the samples of one shard in order. Created and used on one thread.
public protocol ShardSampleReader {
    /// The next sample of the shard, or `nil` at its end.
    /// - Returns: The sample (image still encoded) or `nil`.
    /// - Throws: `LoaderError`: after an `.invalidSample` error reading may continue with the next sample; after a
    ///   `.corruptArchive` error with `resumeOffset` set the reader got past the damage (it was opened resynchronising)
    ///   and reading may continue; after any other error the rest of the shard is lost and the next call returns `nil`.
    mutating func next() throws(LoaderError) -> Sample?
}

/// A dataset stored as shards read sequentially (WebDataset): the loader shuffles shards per epoch, splits shards
/// across ranks and mixes samples through a shuffle buffer.
public protocol ShardedDataset: Sendable {
    /// The reader type of one shard.
    associatedtype Reader: ShardSampleReader
    /// The shard URLs, in canonical order.
    var shards: [String] { get }
    /// Class names by label (empty when unknown).
    var classNames: [String] { get }
    /// Opens a shard for reading.
    /// - Parameter index: Index into `shards`.
    /// - Returns: A reader positioned at the shard's first sample.
    /// - Throws: `LoaderError` when the shard cannot be opened.
    func open(shard index: Int) throws(LoaderError) -> Reader
    /// Opens a shard for reading, asking its reader to get past damage (skip/warn policies) rather than end there.
    /// - Parameters:
    ///   - index: Index into `shards`.
    ///   - resynchronizing: Whether a damaged archive header is skipped, reading going on at the next valid one.
    /// - Returns: A reader positioned at the shard's first sample.
    /// - Throws: `LoaderError` when the shard cannot be opened.
    func open(shard index: Int, resynchronizing: Bool) throws(LoaderError) -> Reader
}

extension ShardedDataset {
    /// Opens a shard whose reader cannot resynchronise: `open(shard:)`, whatever is asked.
    /// - Parameters:
    ///   - index: Index into `shards`.
    ///   - resynchronizing: Ignored.
    /// - Returns: A reader positioned at the shard's first sample.
    /// - Throws: `LoaderError` when the shard cannot be opened.
    public func open(shard index: Int, resynchronizing: Bool) throws(LoaderError) -> Reader {
        try open(shard: index)
    }
}

extension ShardedDataset {
    /// Reads the given shards one after another in order, handing every sample (image still encoded) or error to
    /// `visit`: after an error concerning one sample (`Kind.concernsOneSample`) the shard goes on with its next sample; after a damaged archive header
    /// it goes on from the next valid header when `resynchronizing` (the error's `resumeOffset` says where); after
    /// any other error (the shard could not be opened, its archive is truncated or its stream failed) the next shard
    /// starts. The complete sample before the damage is always delivered first. The loader's epochs and the canonical
    /// iteration of `Dataset` both read shards this way.
    /// - Parameters:
    ///   - shards: Indices into `shards`, in reading order.
    ///   - resynchronizing: Whether readers get past damaged headers (the loader's skip and warn policies).
    ///   - visit: Receives each sample or error; returns `false` to stop.
    /// - Returns: `false` if `visit` stopped the reading, `true` if every shard was read to its end.
    public func readSequentially(shards: [Int], resynchronizing: Bool = false,
                                 _ visit: (Result<Sample, LoaderError>) throws -> Bool) rethrows -> Bool {
        try read(shards: shards, resynchronizing: resynchronizing, next: { (reader) throws(LoaderError) in try reader.next() }, visit)
    }

    /// `readSequentially`'s loop over any per-reader step (samples, listings): the same continuation rules.
    /// - Parameters:
    ///   - shards: Indices into `shards`, in reading order.
    ///   - resynchronizing: Whether readers get past damaged headers.
    ///   - next: Reads the next item from a shard's reader (nil at its end).
    ///   - visit: Receives each item or error; returns `false` to stop.
    /// - Returns: `false` if `visit` stopped the reading, `true` if every shard was read to its end.
    func read<Item>(shards: [Int], resynchronizing: Bool, next: (inout Reader) throws(LoaderError) -> Item?,
                    _ visit: (Result<Item, LoaderError>) throws -> Bool) rethrows -> Bool {
        for shard in shards {
            var reader: Reader
            do {
                reader = try open(shard: shard, resynchronizing: resynchronizing)
            } catch {
                guard try visit(.failure(error)) else { return false }
                continue
            }
            while true {
                let item = Result { () throws(LoaderError) -> Item? in try next(&reader) }
                switch item {
                case .success(nil):
                    break
                case .success(let found?):
                    guard try visit(.success(found)) else { return false }
                    continue
                case .failure(let error):
                    guard try visit(.failure(error)) else { return false }
                    if error.kind.concernsOneSample || error.resumeOffset != nil { continue }
                }
                break
            }
        }
        return true
    }
}
