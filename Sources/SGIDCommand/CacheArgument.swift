import ArgumentParsing
import Augment
import GenerationCache
import SGID

/// `--cache DIR [--fingerprint F]` of the commands that train or stream with SGID: opens the cache, picks the
/// fingerprint (the cache's only one unless given) and registers `sgid(p=…, min_score=…)` bound to it.
enum CacheArgument {
    /// Opens the cache and picks its fingerprint.
    /// - Parameters:
    ///   - directory: The cache directory.
    ///   - fingerprint: The fingerprint asked for, if any.
    /// - Returns: The store and the fingerprint.
    /// - Throws: `CommandFailure` for an unreadable cache, `UsageError` when several fingerprints leave the choice open.
    static func open(_ directory: String, fingerprint: String?) throws -> (store: CacheStore, fingerprint: String) {
        let store: CacheStore
        do { store = try CacheStore(directory: directory) } catch { throw CommandFailure(error.description) }
        let fingerprints = store.fingerprints
        guard let chosen = fingerprint ?? (fingerprints.count == 1 ? fingerprints[0] : nil) else {
            throw UsageError("the cache \(directory) holds \(fingerprints.count) fingerprints; choose one with --fingerprint: "
                             + fingerprints.joined(separator: ", "))
        }
        return (store, chosen)
    }

    /// Registers the SGID augmenter when the command line has `--cache`.
    /// - Parameters:
    ///   - arguments: The parsed command line.
    ///   - registry: Where `sgid` is registered.
    ///   - statistics: The augmenter's counts.
    /// - Returns: Whether a cache was given.
    @discardableResult
    static func register(_ arguments: ParsedArguments, in registry: AugmenterRegistry, statistics: SGIDStatistics) throws -> Bool {
        guard let directory = arguments.value("cache") else { return false }
        let (store, fingerprint) = try open(directory, fingerprint: arguments.value("fingerprint"))
        SGIDAugmenter.register(in: registry, store: store, fingerprint: fingerprint, statistics: statistics)
        return true
    }
}
