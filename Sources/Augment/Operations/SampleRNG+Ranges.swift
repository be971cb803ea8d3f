extension SampleRNG {
    /// A uniform draw from `range` rounded to single precision, as torch's `uniform_` on a float tensor draws;
    /// a range with equal bounds returns its bound without drawing.
    /// - Parameter range: The range.
    /// - Returns: The draw.
    public mutating func torchUniform(_ range: ClosedRange<Double>) -> Double {
        if range.lowerBound == range.upperBound { return range.lowerBound }
        return Double(Float(uniform(range.lowerBound, range.upperBound)))
    }

    /// A uniform integer from `range`; a single-value range returns it without drawing.
    /// - Parameter range: The range.
    /// - Returns: The draw.
    public mutating func draw(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound == range.upperBound ? range.lowerBound : int(in: range)
    }

    /// `value` negated with probability ½ when `randomSign` holds (timm's `_randomly_negate`); no draw otherwise.
    /// - Parameters:
    ///   - value: The magnitude.
    ///   - randomSign: Whether to flip a coin.
    /// - Returns: `value` or `−value`.
    public mutating func signed(_ value: Double, randomSign: Bool) -> Double {
        randomSign && chance(0.5) ? -value : value
    }

    /// A uniformly random permutation of `0 ..< count` (Fisher–Yates).
    /// - Parameter count: The number of elements.
    /// - Returns: The permutation.
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        if count > 1 {
            for index in stride(from: count - 1, to: 0, by: -1) { order.swapAt(index, int(in: 0...index)) }
        }
        return order
    }
}
