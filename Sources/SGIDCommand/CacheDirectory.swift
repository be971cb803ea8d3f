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

    /// What the readers stepped over: an unusable index, damaged records, a torn tail (one line each, naming the file
    /// and offset). Commands that read past damage print these and end with `finishReadingPastDamage()`.
    var damage: [String] {
        readers.flatMap { reader in
            (reader.indexProblem.map { ["\($0.description): read the data file instead"] } ?? []) + reader.damaged.map(\.description)
        }
    }

    /// Prints each damage line as a warning and fails (exit 1) when there was any, so reading past damage never looks
    /// like a clean result; call it after the command's own output.
    /// - Parameter command: The command's name for the message.
    /// - Throws: `CommandFailure` when a reader stepped over damage.
    func finishReadingPastDamage(_ command: String) throws {
        let lines = damage
        guard !lines.isEmpty else { return }
        for line in lines { printError("warning: \(line)") }
        throw CommandFailure("\(command): read past \(lines.count) damaged part(s) of \(path); run `sgid cache verify \(path)`")
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
