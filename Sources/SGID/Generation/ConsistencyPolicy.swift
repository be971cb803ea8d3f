/// SGID's semantic-consistency rules, the same whatever backend generates and scores:
///
/// - **Similarity-driven guidance** (`guidanceRange`): the source is scored against its label; the less it shows the
///   label, the stronger the guidance: `gmin + (gmax − gmin) · (1 − clamp(similarity, 0, 1))`.
/// - **Filter** (`minScore`): a variant scoring below the threshold is regenerated with seed
///   `(seed + 1_000_003 · attempt) mod 2^64`, at most `maxRetries` times, then dropped.
///
/// With a scorer, every variant is scored (its score is recorded), whether or not a threshold is set.
public struct ConsistencyPolicy: Sendable, Hashable {
    /// The filter threshold, or `nil` for no filter.
    public var minScore: Double?
    /// Regenerations per variant under the threshold.
    public var maxRetries: Int
    /// The similarity-driven guidance range, or `nil` to use the nominal guidance.
    public var guidanceRange: ClosedRange<Double>?

    /// The step between a variant's retry seeds.
    public static let retrySeedStride: UInt64 = 1_000_003

    /// Creates a policy.
    /// - Parameters:
    ///   - minScore: The threshold, or `nil`.
    ///   - maxRetries: Regenerations under it.
    ///   - guidanceRange: The guidance range, or `nil`.
    public init(minScore: Double? = nil, maxRetries: Int = 0, guidanceRange: ClosedRange<Double>? = nil) {
        self.minScore = minScore
        self.maxRetries = max(0, maxRetries)
        self.guidanceRange = guidanceRange
    }

    /// The policy of a run's settings.
    /// - Parameter settings: The settings.
    public init(_ settings: GenerationSettings) {
        self.init(minScore: settings.minScore, maxRetries: settings.maxRetries, guidanceRange: settings.guidanceRange)
    }

    /// Whether the policy needs a scorer (a threshold or a guidance range is set).
    public var needsScorer: Bool { minScore != nil || guidanceRange != nil }

    /// The seed of a variant's `attempt`-th generation (attempt 0 is the requested seed).
    /// - Parameters:
    ///   - seed: The requested seed.
    ///   - attempt: 0, 1, 2, …
    /// - Returns: `(seed + 1_000_003 · attempt) mod 2^64`.
    public static func seed(_ seed: UInt64, attempt: Int) -> UInt64 {
        seed &+ retrySeedStride &* UInt64(attempt)
    }

    /// The guidance of a source given its similarity to the label (the nominal one without a range).
    /// - Parameters:
    ///   - nominal: The run's guidance scale.
    ///   - similarity: The source's score against its label, when measured.
    /// - Returns: The guidance to generate with.
    public func guidance(nominal: Double, similarity: Double?) -> Double {
        guard let range = guidanceRange, let similarity else { return nominal }
        return range.lowerBound + (range.upperBound - range.lowerBound) * (1 - min(max(similarity, 0), 1))
    }

    /// Whether a scored variant passes the filter.
    /// - Parameter score: Its score (`nil` when unscored).
    /// - Returns: `true` without a threshold or when the score reaches it.
    public func keeps(_ score: Double?) -> Bool {
        guard let minScore, let score else { return true }
        return score >= minScore
    }
}
