import ImageCodec

/// The size Pillow's `Image.thumbnail((side, side))` gives an image: aspect kept, the long side `side`, each rounded
/// side the floor or ceiling whose aspect ratio is closest to the original's (the floor on a tie), at least 1.
enum ThumbnailSize {
    /// Pillow 13's `preserve_aspect_ratio` for a square bound, in the same double-precision arithmetic.
    /// - Parameters:
    ///   - width: The image's width (≥ 1).
    ///   - height: The image's height (≥ 1).
    ///   - maxSide: The bound on both sides (≥ 1).
    /// - Returns: The reduced size, or `nil` when the image already fits (`width ≤ maxSide` and `height ≤ maxSide`).
    static func fitting(width: Int, height: Int, maxSide: Int) -> PixelSize? {
        if maxSide >= width && maxSide >= height { return nil }
        let aspect = Double(width) / Double(height)
        let side = Double(maxSide)
        if 1.0 >= aspect {  // x / y >= aspect with x == y: the height is the long side
            let number = side * aspect
            let chosen = closest(number) { abs(aspect - Double($0) / side) }
            return PixelSize(width: chosen, height: maxSide)
        }
        let number = side / aspect
        let chosen = closest(number) { $0 == 0 ? 0 : abs(aspect - side / Double($0)) }
        return PixelSize(width: maxSide, height: chosen)
    }

    /// Pillow's `round_aspect`: `max(min(floor(n), ceil(n), key=key), 1)` (`min` keeps the first of equals).
    private static func closest(_ number: Double, key: (Int) -> Double) -> Int {
        let low = Int(number.rounded(.down)), high = Int(number.rounded(.up))
        return max(key(high) < key(low) ? high : low, 1)
    }
}
