import ArgumentParsing
import CacheShard
import Foundation

/// Copies every unique committed record of a cache directory into one new shard.
enum CacheCopier {
    /// - Parameters:
    ///   - cache: The source directory's shards.
    ///   - destination: The new shard (`…/NAME.sgidc` or stem); must not exist yet.
    /// - Returns: Records written.
    /// - Throws: `CommandFailure` on any cache error.
    static func copy(_ cache: CacheDirectory, to destination: String) throws -> Int {
        guard !FileManager.default.fileExists(atPath: ShardPaths(destination).data) else {
            throw CommandFailure("\(ShardPaths(destination).data) already exists")
        }
        try FileManager.default.createDirectory(atPath: ShardPaths(destination).directory, withIntermediateDirectories: true)
        do throws(CacheError) {
            let writer = try CacheShardWriter(path: destination, options: .init(commitEveryRecords: 1024))
            var written = 0
            for (reader, entry) in cache.uniqueEntries() {
                try writer.append(try reader.record(of: entry))
                written += 1
            }
            try writer.close()
            return written
        } catch {
            throw error.asFailure
        }
    }
}

/// `sgid cache merge DIR --out SHARD`: all shards of DIR (e.g. one per rank) into one shard, duplicates dropped.
enum CacheMergeCommand: SubCommand {
    static let spec = CommandSpec(
        name: "cache merge", synopsis: "cache merge DIR --out SHARD.sgidc",
        options: [.value("out", help: "the new shard to write (must not exist)")], positionals: 1...1)
    static let summary = "merge every shard of a cache into one new shard"

    static func run(_ arguments: ParsedArguments) throws {
        guard let out = arguments.value("out") else { throw UsageError("--out SHARD is required") }
        let cache = try CacheDirectory(arguments.positionals[0])
        let written = try CacheCopier.copy(cache, to: out)
        print("merged \(cache.readers.count) shard(s) into \(ShardPaths(out).data): \(written) record(s)")
    }
}

/// `sgid cache compact DIR`: rewrites a cache as one shard without duplicates or unreadable tails, then replaces the
/// old shards. Run it only while no writer is active.
enum CacheCompactCommand: SubCommand {
    static let spec = CommandSpec(name: "cache compact", synopsis: "cache compact DIR", positionals: 1...1)
    static let summary = "rewrite a cache as one shard without duplicates (no writer may be running)"

    static func run(_ arguments: ParsedArguments) throws {
        let directory = arguments.positionals[0]
        let cache = try CacheDirectory(directory)
        let stem = directory + "/compacted-\(Int(Date().timeIntervalSince1970))"
        let written = try CacheCopier.copy(cache, to: stem)
        for reader in cache.readers {
            for path in [reader.paths.data, reader.paths.index, reader.paths.lock] where FileManager.default.fileExists(atPath: path) {
                try FileManager.default.removeItem(atPath: path)
            }
        }
        print("compacted \(cache.readers.count) shard(s) into \(ShardPaths(stem).data): \(written) record(s)")
    }
}
