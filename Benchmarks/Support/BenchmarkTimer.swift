/// Keeps a value alive so the optimiser cannot drop the work that produced it.
/// - Parameter value: The result to consume.
@_optimize(none)
public func blackHole<T>(_ value: T) {}

/// Best-of-N wall-clock timing on the calling thread.
public enum BenchmarkTimer {
    /// Runs `body` `rounds` times and returns the fastest run's duration in seconds.
    /// - Parameters:
    ///   - rounds: How many times to run (≥ 1).
    ///   - body: The measured work; its result goes to `blackHole`.
    /// - Returns: The shortest duration, in seconds.
    /// - Throws: What `body` throws.
    public static func best<Result>(rounds: Int, _ body: () throws -> Result) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, rounds) {
            let (seconds, result) = try once(body)
            blackHole(result)
            best = min(best, seconds)
        }
        return best
    }

    /// Runs `body` once.
    /// - Parameter body: The measured work.
    /// - Returns: Its duration in seconds and its result.
    /// - Throws: What `body` throws.
    public static func once<Result>(_ body: () throws -> Result) rethrows -> (Double, Result) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        return (seconds(clock.now - start), result)
    }

    /// A duration in seconds.
    /// - Parameter duration: The duration.
    /// - Returns: Seconds as a `Double`.
    public static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
