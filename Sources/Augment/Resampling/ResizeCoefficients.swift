/// The fixed-point convolution table of one axis of a resize: for every output position, the first source index,
/// the number of taps, and the taps as 22-bit fixed-point integers (Pillow's `precompute_coeffs` +
/// `normalize_coeffs_8bpc`).
struct ResizeCoefficients {
    /// Fractional bits of a coefficient (Pillow: `32 - 8 - 2`).
    static let precisionBits: Int32 = 22

    /// Taps reserved per output position (`2 * ceil(support) + 1`).
    let stride: Int
    /// First source index of each output position.
    private(set) var starts: [Int]
    /// Number of taps of each output position.
    let counts: [Int]
    /// `stride` fixed-point taps per output position (unused trailing taps are 0).
    let taps: [Int32]

    /// Computes the table for resampling the source interval `[start, end)` of an axis of `inputSize` pixels onto
    /// `outputSize` pixels.
    /// - Parameters:
    ///   - inputSize: Source pixels on the axis.
    ///   - start: The interval's start (Pillow keeps box coordinates in single precision).
    ///   - end: The interval's end.
    ///   - outputSize: Output pixels on the axis (> 0).
    ///   - filter: The kernel (not `nearest`).
    init(inputSize: Int, start: Float, end: Float, outputSize: Int, filter: ResampleFilter) {
        let scale = Double(end - start) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = filter.support * filterScale
        let stride = Int(support.rounded(.up)) * 2 + 1
        let inverse = 1 / filterScale
        var starts = [Int](repeating: 0, count: outputSize)
        var counts = [Int](repeating: 0, count: outputSize)
        var taps = [Int32](repeating: 0, count: outputSize * stride)
        var weights = [Double](repeating: 0, count: stride)
        let one = Double(1 << Self.precisionBits)
        for position in 0..<outputSize {
            let center = Double(start) + (Double(position) + 0.5) * scale
            let first = max(0, Self.truncated(center - support + 0.5))
            let last = min(inputSize, Self.truncated(center + support + 0.5))
            let count = max(0, last - first)
            var total = 0.0
            for tap in 0..<count {
                let weight = filter.weight((Double(tap + first) - center + 0.5) * inverse)
                weights[tap] = weight
                total += weight
            }
            for tap in 0..<count {
                let weight = total != 0 ? weights[tap] / total : weights[tap]
                // C's (int) conversion truncates toward zero after the ±0.5 bias.
                taps[position * stride + tap] = Int32(weight < 0 ? (weight * one - 0.5) : (weight * one + 0.5))
            }
            starts[position] = first
            counts[position] = count
        }
        self.stride = stride
        self.starts = starts
        self.counts = counts
        self.taps = taps
    }

    /// The source indices the table reads: from the first position's start to the last position's end (Pillow's
    /// `ybox_first ..< ybox_last`).
    var span: Range<Int> {
        guard let first = starts.first, let lastStart = starts.last, let lastCount = counts.last else { return 0..<0 }
        return first..<max(first, lastStart + lastCount)
    }

    /// The same table with every start moved by `offset` (for a pass that reads a band of rows, not the whole image).
    /// - Parameter offset: Added to every start.
    /// - Returns: The shifted table.
    func shifted(by offset: Int) -> ResizeCoefficients {
        var copy = self
        for index in copy.starts.indices { copy.starts[index] += offset }
        return copy
    }

    /// C's `(int)` conversion of a double: truncation toward zero.
    private static func truncated(_ value: Double) -> Int { Int(value.rounded(.towardZero)) }
}
