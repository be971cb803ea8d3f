import ArgumentParsing
import Augment
import ImageCodec

/// Parsers for the geometry forms the CLI accepts: `WxH` sizes and `x,y,w,h` regions, bounded so that no option can
/// ask for an image beyond the augmentation limits or make the region arithmetic overflow.
enum GeometryArguments {
    /// What `size(_:)` accepts, for usage errors.
    static let sizeExpectation = "WxH with W, H in 1...\(AugmentLimits.maxSide) and W×H ≤ \(AugmentLimits.maxPixels)"
    /// What `region(_:)` accepts, for usage errors.
    static let regionExpectation = "x,y,w,h with x,y ≥ 0 and w,h > 0, each at most \(Int32.max)"

    /// Parses `WxH`: both sides in 1…`AugmentLimits.maxSide` and at most `AugmentLimits.maxPixels` pixels.
    /// - Parameter text: The argument.
    /// - Returns: The size, or `nil` when malformed or outside the limits.
    static func size(_ text: String) -> PixelSize? {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
              AugmentLimits.allowsSize(width: width, height: height) else {
            return nil
        }
        return PixelSize(width: width, height: height)
    }

    /// Parses `x,y,w,h` (x, y ≥ 0; w, h > 0; each at most `Int32.max`, so `x + w` cannot overflow).
    /// - Parameter text: The argument.
    /// - Returns: The region, or `nil` when malformed or out of bounds.
    static func region(_ text: String) -> PixelRegion? {
        let numbers = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        let bound = Int(Int32.max)
        guard numbers.count == 4, let x = numbers[0], let y = numbers[1], let width = numbers[2], let height = numbers[3],
              (0...bound).contains(x), (0...bound).contains(y), (1...bound).contains(width), (1...bound).contains(height)
        else { return nil }
        return PixelRegion(x: x, y: y, width: width, height: height)
    }
}
