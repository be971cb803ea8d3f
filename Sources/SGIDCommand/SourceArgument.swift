import Augment
import Foundation
import Loader

/// A SOURCE argument: an ImageFolder directory, or a shard pattern (`data/train-{000..009}.tar`, `a.tar::b.tar`,
/// `pipe:CMD`).
enum SourceArgument {
    case imageFolder(ImageFolderDataset)
    case webDataset(WebDatasetDataset)

    /// Opens a source: an existing directory is an ImageFolder root; anything else is a shard pattern.
    /// - Parameters:
    ///   - text: The SOURCE argument.
    ///   - classNames: Optional class list (file with one name per line) for WebDataset class-name fields.
    /// - Throws: `CommandFailure` naming the source and the problem.
    init(_ text: String, options: WebDatasetOptions = WebDatasetOptions()) throws {
        var isDirectory: ObjCBool = false
        do {
            if FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory), isDirectory.boolValue {
                self = .imageFolder(try ImageFolderDataset(root: text))
            } else {
                self = .webDataset(try WebDatasetDataset(text, options: options))
            }
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// Class names (empty when unknown).
    var classNames: [String] {
        switch self {
        case .imageFolder(let dataset): dataset.classNames
        case .webDataset(let dataset): dataset.classNames
        }
    }

    /// Visits every sample in canonical (unshuffled) order, as read (image still encoded).
    /// - Parameter visit: Receives each sample or its error; returns `false` to stop.
    func forEachSample(_ visit: (Result<Sample, LoaderError>) throws -> Bool) rethrows {
        switch self {
        case .imageFolder(let dataset):
            for index in 0..<dataset.count {
                guard try visit(Result { () throws(LoaderError) -> Sample in try dataset.sample(at: index) }) else { return }
            }
        case .webDataset(let dataset):
            for shard in dataset.shards.indices {
                var reader: WebDatasetShardReader
                do {
                    reader = try dataset.open(shard: shard)
                } catch {
                    guard try visit(.failure(error)) else { return }
                    continue
                }
                while true {
                    let next = Result { () throws(LoaderError) -> Sample? in try reader.next() }
                    switch next {
                    case .success(nil):
                        break
                    case .success(let sample?):
                        guard try visit(.success(sample)) else { return }
                        continue
                    case .failure(let error):
                        guard try visit(.failure(error)) else { return }
                        if error.kind == .invalidSample { continue }
                    }
                    break
                }
            }
        }
    }
}
