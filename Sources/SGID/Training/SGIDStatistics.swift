import Synchronization

/// Counts of what the SGID augmenter did, for the per-epoch hit rate. Thread-safe; `snapshotAndReset()` at each
/// epoch's end gives that epoch's numbers.
public final class SGIDStatistics: Sendable {
    /// One period's counts.
    public struct Counts: Sendable, Hashable, Codable {
        /// Samples the probability selected for replacement.
        public var selected = 0
        /// Selected samples whose generations were in the cache.
        public var hits = 0
        /// Selected samples without generations (kept their original, or were generated/queued).
        public var misses = 0
        /// Misses generated on demand.
        public var generated = 0
        /// Misses queued for the background filler.
        public var queued = 0
        /// Hits whose every variant scored under `min_score` (the original was kept; not counted in `hits`).
        public var filtered = 0

        /// `hits / selected` (0 when nothing was selected).
        public var hitRate: Double { selected == 0 ? 0 : Double(hits) / Double(selected) }
    }

    private let counts = Mutex(Counts())

    /// Creates empty statistics.
    public init() {}

    func record(_ change: (inout Counts) -> Void) { counts.withLock { change(&$0) } }

    /// The counts so far.
    public var snapshot: Counts { counts.withLock { $0 } }

    /// Returns the counts and starts a new period.
    /// - Returns: The finished period's counts.
    public func snapshotAndReset() -> Counts { counts.withLock { current in defer { current = Counts() }; return current } }
}
