/// Keeps a value alive so the optimiser cannot drop the work that produced it.
/// - Parameter value: The result to consume.
@_optimize(none)
func blackHole<T>(_ value: T) {}

/// Best-of-N wall-clock timing on the calling thread.
enum BenchmarkTimer {
    /// Runs `body` `rounds` times and returns the fastest run's duration in seconds.
    /// - Parameters:
    ///   - rounds: How many times to run (≥ 1).
    ///   - body: The measured work; its result goes to `blackHole`.
    /// - Returns: The shortest duration, in seconds.
    /// - Throws: What `body` throws.
    static func best<Result>(rounds: Int, _ body: () throws -> Result) rethrows -> Double {
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<max(1, rounds) {
            let start = clock.now
            let result = try body()
            let elapsed = clock.now - start
            blackHole(result)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            best = min(best, seconds)
        }
        return best
    }
}
