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
