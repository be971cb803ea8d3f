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
    /// - Throws: `LoaderError`: after an `.invalidSample` error reading may continue with the next sample; after
    ///   `.corruptArchive` or `.io` the rest of the shard is lost and the next call returns `nil`.
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
}

extension ShardedDataset {
    /// Reads the given shards one after another in order, handing every sample (image still encoded) or error to
    /// `visit`: after an `.invalidSample` error the shard goes on with its next sample; after any other error (the
    /// shard could not be opened, its archive is damaged) the next shard starts. The loader's epochs and the canonical
    /// iteration of `Dataset` both read shards this way.
    /// - Parameters:
    ///   - shards: Indices into `shards`, in reading order.
    ///   - visit: Receives each sample or error; returns `false` to stop.
    /// - Returns: `false` if `visit` stopped the reading, `true` if every shard was read to its end.
    public func readSequentially(shards: [Int], _ visit: (Result<Sample, LoaderError>) throws -> Bool) rethrows -> Bool {
        for shard in shards {
            var reader: Reader
            do {
                reader = try open(shard: shard)
            } catch {
                guard try visit(.failure(error)) else { return false }
                continue
            }
            while true {
                let next = Result { () throws(LoaderError) -> Sample? in try reader.next() }
                switch next {
                case .success(nil):
                    break
                case .success(let sample?):
                    guard try visit(.success(sample)) else { return false }
                    continue
                case .failure(let error):
                    guard try visit(.failure(error)) else { return false }
                    if error.kind == .invalidSample { continue }
                }
                break
            }
        }
        return true
    }
}
