import ImageCodec

/// The bounds that keep every operation's allocations and arithmetic finite, whatever a pipeline spec asks for.
///
/// Spec parameters are checked against them when the spec is parsed (`AugmenterParameters`), so a hostile or mistyped
/// value (`resize(size=100000)`, `rotate(degrees=1e308)`) is an `AugmentError` naming the operation and parameter
/// instead of an abort while allocating tens of gigabytes or an overflow trap. Operations whose output also depends on
/// the input's shape (`resize` of a very elongated image, `pad`, `random_crop` with padding) check the actual output
/// against `maxPixels` before allocating it.
public enum AugmentLimits {
    /// The most pixels (width × height) an operation may produce: the decoder's decompression-bomb limit,
    /// `DecodeOptions.pillowMaxPixels` (89,478,485 ≈ 9459², about 268 MB of RGB), so augmenting never needs an image
    /// larger than one the decoder would accept.
    public static let maxPixels = DecodeOptions.pillowMaxPixels

    /// The longest side a size parameter accepts, 65,535 (the largest side a JPEG can have). Resampling tables and
    /// per-column buffers grow with the sides rather than the area, so a 89-million-by-1 output, within `maxPixels`,
    /// would still need gigabytes of them.
    public static let maxSide = 65_535

    /// The longest shorter edge `resize(size=N)` accepts, 9459: the largest `N` with `N × N ≤ maxPixels` (the output
    /// is at least `N × N`).
    public static let maxShorterEdge = largestSquareSide(within: maxPixels)

    /// The largest magnitude of a position or offset in pixels (crop origins, rotation and affine centres, absolute
    /// translations, affine matrix entries): `maxPixels`, longer than any side of an image within the limit.
    public static let maxCoordinate = maxPixels

    /// The largest magnitude of an angle in degrees (rotations and shears): a full turn each way.
    public static let maxDegrees = 360.0

    /// Whether a size parameter may produce a `width × height` image: both sides in `1…maxSide` and
    /// `width × height ≤ maxPixels` (computed without overflow).
    /// - Parameters:
    ///   - width: The width.
    ///   - height: The height.
    /// - Returns: `true` when the size is within the limits.
    public static func allowsSize(width: Int, height: Int) -> Bool {
        guard (1...maxSide).contains(width), (1...maxSide).contains(height) else { return false }
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        return !overflow && count <= maxPixels
    }

    /// Refuses an output larger than `maxPixels` before it is allocated.
    /// - Parameters:
    ///   - width: The output's width.
    ///   - height: The output's height.
    ///   - operation: The operation's registered name.
    ///   - sample: The sample being augmented (for the error's key and source).
    /// - Throws: `AugmentError` naming the operation when `width × height` overflows or exceeds `maxPixels`.
    static func checkOutput(width: Int, height: Int, operation: String, sample: Sample) throws(AugmentError) {
        let (count, overflow) = max(width, 0).multipliedReportingOverflow(by: max(height, 0))
        guard overflow || count > maxPixels else { return }
        throw AugmentError(operation: operation, key: sample.key, source: sample.source,
                           message: "the \(width)x\(height) output would exceed the limit of \(maxPixels) pixels")
    }

    /// The sum of non-negative extents (a side plus its paddings), saturating at `Int.max` so that `checkOutput`
    /// refuses it instead of the addition trapping.
    /// - Parameter terms: The extents.
    /// - Returns: Their sum, or `Int.max` on overflow.
    static func saturatingSum(_ terms: Int...) -> Int {
        var total = 0
        for term in terms {
            let (sum, overflow) = total.addingReportingOverflow(term)
            if overflow { return Int.max }
            total = sum
        }
        return total
    }

    /// The largest `n` with `n × n ≤ limit`.
    private static func largestSquareSide(within limit: Int) -> Int {
        var side = Int(Double(limit).squareRoot())
        while side * side > limit { side -= 1 }
        while (side + 1) * (side + 1) <= limit { side += 1 }
        return side
    }
}
