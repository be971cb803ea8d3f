import Augment
import Foundation

/// A dataset named by a SOURCE string, as `sgid` commands and a training loop open it: an ImageFolder directory, or
/// WebDataset shards (`data/train-{000..009}.tar`, `a.tar::b.tar`, `pipe:CMD`).
///
/// ```swift
/// let dataset = try Dataset.open("data/train-{000000..000127}.tar")
/// let loader = try DataLoader(dataset: dataset, pipeline: pipeline, configuration: configuration)
/// try dataset.forEachSample { result in print(try result.get().key); return true }   // canonical order
/// ```
public enum Dataset: Sendable {
    /// A torchvision-style ImageFolder tree.
    case imageFolder(ImageFolderDataset)
    /// WebDataset tar shards.
    case webDataset(WebDatasetDataset)

    /// Opens a SOURCE: an existing directory is an ImageFolder root; anything else is a shard pattern. Shards whose
    /// options name no classes take their class names, one per line in label order, from `classNamesFile`, or else from a
    /// `classes.txt` beside the first local shard when there is one (the file `sgid datasets import` writes).
    /// - Parameters:
    ///   - source: The SOURCE text.
    ///   - options: How WebDataset samples are decoded (ignored for ImageFolder).
    ///   - classNamesFile: A file of class names for shards (must exist when given; ignored for ImageFolder).
    /// - Returns: The dataset.
    /// - Throws: `LoaderError` naming the source and the problem (no classes, bad pattern, refused `pipe:`, unreadable
    ///   class-names file, an unrecognised `WDS_SECURE` value for shards, …).
    public static func open(_ source: String, options: WebDatasetOptions = WebDatasetOptions(),
                            classNamesFile: String? = nil) throws(LoaderError) -> Dataset {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), isDirectory.boolValue {
            return .imageFolder(try ImageFolderDataset(root: source))
        }
        // An unrecognised WDS_SECURE is refused here rather than guessed (it would otherwise only show on a pipe: URL).
        if let problem = WebDatasetSecureMode.problem() { throw problem }
        let shards = try WebDatasetDataset(source, options: options)
        guard shards.classNames.isEmpty, let names = try classNames(beside: shards.shards, file: classNamesFile) else {
            return .webDataset(shards)
        }
        var named = options
        named.classNames = names
        return .webDataset(try WebDatasetDataset(shards: shards.shards, options: named))
    }

    /// The class names of `file`, or of a `classes.txt` beside the first local shard (`nil` when there is none).
    static func classNames(beside shards: [String], file: String?) throws(LoaderError) -> [String]? {
        let path: String
        if let file {
            path = file
        } else if let first = shards.first, !first.hasPrefix("pipe:") {
            path = URL(fileURLWithPath: first).deletingLastPathComponent().appendingPathComponent("classes.txt").path
            guard FileManager.default.fileExists(atPath: path) else { return nil }
        } else {
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoaderError(.io, "the class-names file cannot be read", location: path)
        }
        let names = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw LoaderError(.invalidDataset, "the class-names file lists no class", location: path) }
        return names
    }

    /// Class names by label (empty when unknown).
    public var classNames: [String] {
        switch self {
        case .imageFolder(let dataset): dataset.classNames
        case .webDataset(let dataset): dataset.classNames
        }
    }

    /// The number of samples when it is known without reading the data (ImageFolder), else `nil` (shards).
    public var knownCount: Int? {
        switch self {
        case .imageFolder(let dataset): dataset.count
        case .webDataset: nil
        }
    }

    /// Lists every sample in canonical order without decoding anything, image or not, as the peers iterate them:
    /// shards as webdataset does (a text-only or metadata-only sample is listed, with its parts), an ImageFolder by
    /// index (its files, not read). Errors continue as in `forEachSample`.
    /// - Parameters:
    ///   - resynchronizing: Whether shards are read past damaged tar headers.
    ///   - visit: Receives each listing or its error; returns `false` to stop.
    public func forEachListing(resynchronizing: Bool = false,
                               _ visit: (Result<SampleListing, LoaderError>) throws -> Bool) rethrows {
        switch self {
        case .imageFolder(let dataset):
            for index in 0..<dataset.count {
                let key = dataset.key(at: index), label = dataset.label(at: index)
                // The file's one part: its extension (every listed file has one, the folder's supported types).
                let name = key.split(separator: "/").last ?? ""
                let parts = name.lastIndex(of: ".").map { [name[name.index(after: $0)...].lowercased()] } ?? []
                let listing = SampleListing(key: key, parts: parts, label: label, className: dataset.classNames[label],
                                            source: SampleSource(url: dataset.root, path: dataset.path(at: index), index: index),
                                            hasImage: true)
                guard try visit(.success(listing)) else { return }
            }
        case .webDataset(let dataset):
            _ = try dataset.read(shards: Array(dataset.shards.indices), resynchronizing: resynchronizing,
                                 next: { (reader) throws(LoaderError) in try reader.nextListing() }, visit)
        }
    }

    /// Visits every sample in canonical (unshuffled) order, image still encoded: ImageFolder by index, shards one
    /// after another as the loader reads them (an error concerning one sample goes on within the shard, a damaged tar
    /// header too when `resynchronizing`, any other error moves to the next shard).
    /// - Parameters:
    ///   - resynchronizing: Whether shards are read past damaged tar headers (for callers that skip errors).
    ///   - visit: Receives each sample or its error; returns `false` to stop.
    public func forEachSample(resynchronizing: Bool = false, _ visit: (Result<Sample, LoaderError>) throws -> Bool) rethrows {
        switch self {
        case .imageFolder(let dataset):
            for index in 0..<dataset.count {
                guard try visit(Result { () throws(LoaderError) -> Sample in try dataset.sample(at: index) }) else { return }
            }
        case .webDataset(let dataset):
            _ = try dataset.readSequentially(shards: Array(dataset.shards.indices), resynchronizing: resynchronizing, visit)
        }
    }
}

extension DataLoader {
    /// A loader over a dataset opened from a SOURCE string.
    /// - Parameters:
    ///   - dataset: The dataset.
    ///   - pipeline: The augmentations (default none).
    ///   - configuration: Batching, ordering, threads, output.
    /// - Throws: As the ImageFolder and WebDataset initialisers.
    public convenience init(dataset: Dataset, pipeline: Pipeline = Pipeline([]), configuration: LoaderConfiguration) throws(LoaderError) {
        switch dataset {
        case .imageFolder(let folder): try self.init(dataset: folder, pipeline: pipeline, configuration: configuration)
        case .webDataset(let shards): try self.init(dataset: shards, pipeline: pipeline, configuration: configuration)
        }
    }
}
