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
    static func once<Result>(_ body: () throws -> Result) rethrows -> (Double, Result) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        return (seconds(clock.now - start), result)
    }

    /// A duration in seconds.
    /// - Parameter duration: The duration.
    /// - Returns: Seconds as a `Double`.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}

/// A benchmark that cannot run: unreadable input, a failed write, or pixels that disagree.
struct BenchmarkFailure: Error, CustomStringConvertible {
    /// What went wrong.
    let description: String

    /// Creates a failure.
    /// - Parameter description: What went wrong.
    init(_ description: String) { self.description = description }
}

/// Fixed-point text for a number (the standard library has no `%.Nf`).
/// - Parameters:
///   - value: The number.
///   - decimals: Digits after the point.
/// - Returns: e.g. `"1631.1"` for `fixed(1631.14, decimals: 1)`.
func fixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    if value < 0 { return "-" + fixed(-value, decimals: decimals) }
    var unit = 1
    for _ in 0..<decimals { unit *= 10 }
    let scaled = Int((value * Double(unit)).rounded())
    guard decimals > 0 else { return grouped(scaled) }
    let fraction = String(scaled % unit)
    let padded = String(repeating: "0", count: decimals - fraction.count) + fraction
    return "\(grouped(scaled / unit)).\(padded)"
}

/// An integer with thousands separators: `1,000,000`.
/// - Parameter value: The integer.
/// - Returns: The text.
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (position, digit) in digits.enumerated() {
        if position > 0, (digits.count - position) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return value < 0 ? "-" + out : out
}
