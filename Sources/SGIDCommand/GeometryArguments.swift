import ArgumentParsing
import ImageCodec

/// Parsers for the geometry forms the CLI accepts: `WxH` sizes and `x,y,w,h` regions.
enum GeometryArguments {
    /// Parses `WxH` (both positive).
    /// - Parameter text: The argument.
    /// - Returns: The size, or `nil` when malformed.
    static func size(_ text: String) -> PixelSize? {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), width > 0, height > 0 else {
            return nil
        }
        return PixelSize(width: width, height: height)
    }

    /// Parses `x,y,w,h` (x, y ≥ 0; w, h > 0).
    /// - Parameter text: The argument.
    /// - Returns: The region, or `nil` when malformed.
    static func region(_ text: String) -> PixelRegion? {
        let numbers = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        guard numbers.count == 4, let x = numbers[0], let y = numbers[1], let width = numbers[2], let height = numbers[3],
              x >= 0, y >= 0, width > 0, height > 0 else { return nil }
        return PixelRegion(x: x, y: y, width: width, height: height)
    }
}
