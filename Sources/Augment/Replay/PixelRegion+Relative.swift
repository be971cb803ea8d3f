import ImageCodec

extension PixelRegion {
    /// The region recorded on an image of size `recorded`, carried to an image of size `target` in relative form:
    /// each edge (`x`, `x + width`, `y`, `y + height`) is multiplied by the size ratio and rounded half up
    /// (`⌊e·T/R + ½⌋`, exact integer arithmetic); the width and height are then at least 1. Equal sizes give the
    /// region unchanged.
    /// - Parameters:
    ///   - recorded: The size of the image the region was drawn on.
    ///   - target: The size of the image to apply it to.
    /// - Returns: The carried region.
    public func carried(from recorded: PixelSize, to target: PixelSize) -> PixelRegion {
        guard recorded != target, recorded.width > 0, recorded.height > 0 else { return self }
        let left = Self.scaledEdge(x, recorded.width, target.width)
        let right = Self.scaledEdge(x + width, recorded.width, target.width)
        let top = Self.scaledEdge(y, recorded.height, target.height)
        let bottom = Self.scaledEdge(y + height, recorded.height, target.height)
        return PixelRegion(x: left, y: top, width: max(1, right - left), height: max(1, bottom - top))
    }

    /// The region shrunk to at most the image's size and moved inside it (for operations whose region must lie
    /// inside the image: random crops and erasing).
    /// - Parameter size: The image's size.
    /// - Returns: The clamped region.
    public func clamped(inside size: PixelSize) -> PixelRegion {
        let w = min(width, max(1, size.width)), h = min(height, max(1, size.height))
        return PixelRegion(x: min(max(0, x), max(0, size.width - w)), y: min(max(0, y), max(0, size.height - h)),
                           width: w, height: h)
    }

    /// `⌊edge·target/recorded + ½⌋` with floor division, so negative edges (padding) round the same way.
    private static func scaledEdge(_ edge: Int, _ recorded: Int, _ target: Int) -> Int {
        let numerator = 2 * edge * target + recorded, denominator = 2 * recorded
        return numerator >= 0 ? numerator / denominator : -((-numerator + denominator - 1) / denominator)
    }
}

/// Carries a pixel length drawn on one image side to another side: `value · target / recorded` (not rounded; the
/// operation rounds as it does when drawing).
/// - Parameters:
///   - value: The length in pixels on the recorded image.
///   - recorded: The recorded side (≤ 0 leaves the value unchanged).
///   - target: The side of the image to apply it to.
/// - Returns: The carried length.
func carriedLength(_ value: Double, from recorded: Int, to target: Int) -> Double {
    guard recorded > 0, recorded != target else { return value }
    return value * Double(target) / Double(recorded)
}
