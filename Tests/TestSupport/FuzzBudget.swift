import Foundation

/// How many fuzz iterations a test runs: `SGID_FUZZ_ITERATIONS` when set (`bash scripts/fuzz.sh N` sets it for longer
/// runs on demand), else the test's quick default.
public enum FuzzBudget {
    /// The number of iterations.
    /// - Parameter quick: The default of the test command.
    /// - Returns: `SGID_FUZZ_ITERATIONS`, or `quick`.
    public static func iterations(default quick: Int) -> Int {
        ProcessInfo.processInfo.environment["SGID_FUZZ_ITERATIONS"].flatMap(Int.init) ?? quick
    }
}
