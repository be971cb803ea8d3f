import CacheShard
import Foundation

/// A cache shard writer shared by several threads (on-demand generation, the background filler): appends are
/// serialised; commits follow the writer's group policy.
public final class CacheAppender: @unchecked Sendable {
    private let lock = NSLock()
    private let writer: CacheShardWriter

    /// Opens (or creates) a shard for appending.
    /// - Parameters:
    ///   - path: The shard (`DIR/NAME`).
    ///   - options: Commit and durability settings.
    /// - Throws: `CacheError` (`.locked` when another writer has it).
    public init(path: String, options: CacheShardWriter.Options = .init()) throws(CacheError) {
        writer = try CacheShardWriter(path: path, options: options)
    }

    /// The shard's files.
    public var paths: ShardPaths { writer.paths }

    /// What opening the shard found and repaired (damaged stretches stepped over, a torn tail cut).
    public var recovery: CacheShardWriter.Recovery { writer.recovery }

    /// Appends a record.
    /// - Parameter record: The record.
    /// - Throws: `CacheError`.
    public func append(_ record: CacheRecord) throws(CacheError) {
        lock.lock()
        defer { lock.unlock() }
        try writer.append(record)
    }

    /// Commits what was appended.
    /// - Throws: `CacheError`.
    public func commit() throws(CacheError) {
        lock.lock()
        defer { lock.unlock() }
        try writer.commit()
    }

    /// Commits and releases the shard.
    /// - Throws: `CacheError`.
    public func close() throws(CacheError) {
        lock.lock()
        defer { lock.unlock() }
        try writer.close()
    }
}
