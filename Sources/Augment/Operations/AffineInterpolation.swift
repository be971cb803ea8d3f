import ImageCodec

/// The resampling filters Pillow's `transform` and `rotate` accept (torchvision's `InterpolationMode` for
/// geometric operations on PIL images).
public enum AffineInterpolation: String, Sendable, Hashable, Codable, CaseIterable {
    /// Nearest neighbour (Pillow `NEAREST`; 16.16 fixed point unless the matrix only scales).
    case nearest
    /// Bilinear (Pillow `BILINEAR`, no antialiasing, edge-clamped neighbours).
    case bilinear
    /// Bicubic with a = −1 (Pillow `BICUBIC` in `transform`).
    case bicubic

    /// Parses a filter name (`nearest`, `bilinear`, `bicubic`, case-insensitive).
    /// - Parameter name: The name.
    /// - Returns: The filter, or `nil` for another name.
    public static func named(_ name: String) -> AffineInterpolation? { AffineInterpolation(rawValue: name.lowercased()) }
}

extension Image {
    /// One fill pixel for this image: a single value repeated over every channel, or one value per channel
    /// (extra values are ignored, missing ones are 0), as Pillow and torchvision's `_parse_fill` do.
    /// - Parameter fill: The fill colour.
    /// - Returns: `channels` bytes.
    func fillPixel(_ fill: [UInt8]) -> [UInt8] {
        if fill.count == 1 { return [UInt8](repeating: fill[0], count: channels) }
        return (0..<channels).map { $0 < fill.count ? fill[$0] : 0 }
    }
}
