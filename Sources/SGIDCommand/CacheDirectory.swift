import CacheShard
import Foundation

/// The shards of a cache directory, opened for reading, for the `sgid cache` commands.
struct CacheDirectory {
    let path: String
    let readers: [CacheShardReader]

    /// Opens every `*.sgidc` file of `path`, in name order.
    /// - Parameter path: The cache directory.
    /// - Throws: `CommandFailure` when the directory is missing or a shard cannot be opened.
    init(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandFailure("\(path) is not a directory")
        }
        self.path = path
        let names = try FileManager.default.contentsOfDirectory(atPath: path)
            .filter { $0.hasSuffix("." + CacheFormat.dataExtension) }.sorted()
        var readers: [CacheShardReader] = []
        for name in names {
            do {
                readers.append(try CacheShardReader(path: path + "/" + name))
            } catch {
                throw CommandFailure(error.description)
            }
        }
        self.readers = readers
    }

    /// Every committed record of every shard, in shard then file order, without duplicates of the same
    /// (key, digest, fingerprint).
    /// - Returns: Pairs of reader and entry.
    func uniqueEntries() -> [(reader: CacheShardReader, entry: IndexEntry)] {
        struct Identity: Hashable { let key: String, digest: SourceDigest, fingerprint: String }
        var seen = Set<Identity>()
        var result: [(CacheShardReader, IndexEntry)] = []
        for reader in readers {
            for entry in reader.index.entries
            where seen.insert(Identity(key: entry.key, digest: entry.sourceDigest, fingerprint: entry.fingerprint)).inserted {
                result.append((reader, entry))
            }
        }
        return result
    }
}

extension CacheError {
    /// Rethrows as a command failure with this error's message.
    var asFailure: CommandFailure { CommandFailure(description) }
}
