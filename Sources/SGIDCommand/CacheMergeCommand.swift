import ArgumentParsing
import CacheShard
import Foundation

/// Copies every unique committed record of a cache directory into one new shard.
enum CacheCopier {
    /// - Parameters:
    ///   - cache: The source directory's shards.
    ///   - destination: The new shard (`…/NAME.sgidc` or stem); must not exist yet.
    ///   - dropDamaged: Leave out records that do not read back intact (counted) instead of failing on the first.
    /// - Returns: Records written and records dropped as damaged.
    /// - Throws: `CommandFailure` on any cache error (a damaged record too, unless `dropDamaged`).
    static func copy(_ cache: CacheDirectory, to destination: String, dropDamaged: Bool = false) throws -> (written: Int, dropped: Int) {
        guard !FileManager.default.fileExists(atPath: ShardPaths(destination).data) else {
            throw CommandFailure("\(ShardPaths(destination).data) already exists")
        }
        try FileManager.default.createDirectory(atPath: ShardPaths(destination).directory, withIntermediateDirectories: true)
        do throws(CacheError) {
            let writer = try CacheShardWriter(path: destination, options: .init(commitEveryRecords: 1024))
            var written = 0, dropped = 0
            for (reader, entry) in cache.uniqueEntries() {
                let record: CacheRecord
                do throws(CacheError) {
                    record = try reader.record(of: entry)
                } catch where dropDamaged && error.kind != .io {
                    printError("dropped damaged record '\(entry.key)': \(error)")
                    dropped += 1
                    continue
                }
                try writer.append(record)
                written += 1
            }
            try writer.close()
            return (written, dropped)
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
        let (written, _) = try CacheCopier.copy(cache, to: out)
        print("merged \(cache.readers.count) shard(s) into \(ShardPaths(out).data): \(written) record(s)")
        try cache.finishReadingPastDamage("cache merge")
    }
}

/// `sgid cache compact DIR [--drop-damaged]`: rewrites a cache as one shard without duplicates or unreadable tails,
/// then replaces the old shards. A damaged indexed record stops it, unless `--drop-damaged` leaves such records out
/// (each named and counted); damaged stretches that recovery stepped over are never copied. It takes every shard's
/// lock first (refusing while a writer is active) and lets the writer's recovery commit intact records a killed
/// writer left past its last commit, so none is lost.
enum CacheCompactCommand: SubCommand {
    static let spec = CommandSpec(
        name: "cache compact", synopsis: "cache compact DIR [--drop-damaged]",
        options: [.flag("drop-damaged", help: "leave out records that do not read back intact instead of stopping")],
        positionals: 1...1)
    static let summary = "rewrite a cache as one shard without duplicates or damage (no writer may be running)"

    static func run(_ arguments: ParsedArguments) throws {
        let directory = arguments.positionals[0]
        // Every shard's lock first (a running writer makes this fail instead of losing what it writes), and the
        // writer's recovery, which commits intact records a killed writer left past its last commit: the copy
        // below reads committed records only, and the old files are removed after it.
        var writers: [CacheShardWriter] = []
        defer { for writer in writers { try? writer.close() } }
        for reader in try CacheDirectory(directory).readers {
            do {
                writers.append(try CacheShardWriter(path: reader.paths.data))
            } catch {
                throw error.asFailure
            }
        }
        let cache = try CacheDirectory(directory)
        let stem = directory + "/compacted-\(Int(Date().timeIntervalSince1970))"
        let (written, dropped) = try CacheCopier.copy(cache, to: stem, dropDamaged: arguments.flag("drop-damaged"))
        for reader in cache.readers {
            for path in [reader.paths.data, reader.paths.index, reader.paths.lock] where FileManager.default.fileExists(atPath: path) {
                try FileManager.default.removeItem(atPath: path)
            }
        }
        print("compacted \(cache.readers.count) shard(s) into \(ShardPaths(stem).data): \(written) record(s)"
              + (dropped > 0 ? ", \(dropped) damaged record(s) dropped" : "")
              + (cache.damage.isEmpty ? "" : ", \(cache.damage.count) damaged stretch(es) left behind"))
    }
}
