import Tensor

/// The map between 8-bit pixels and a pixel-space diffusion model's inputs, as diffusers' pipelines use it:
/// x = p / 127.5 − 1 in, and p = round(clamp(x / 2 + 0.5, 0, 1) · 255) out (numpy's rounding, half to even), in
/// Float32.
public enum PixelSpace {
    /// Fills a map from channels-last bytes.
    /// - Parameters:
    ///   - pixels: `map.count` bytes, channels-last.
    ///   - map: The model-space image.
    public static func normalize(_ pixels: [UInt8], into map: FeatureMap) {
        precondition(pixels.count == map.count, "\(pixels.count) bytes for a \(map.count)-value map")
        for index in 0..<map.count { map.values[index] = Float(pixels[index]) / 127.5 - 1 }
    }

    /// The bytes of a model-space image, channels-last.
    /// - Parameter map: The image.
    /// - Returns: `map.count` bytes.
    public static func pixels(_ map: FeatureMap) -> [UInt8] {
        (0..<map.count).map { index in
            let unit = Swift.min(Swift.max(map.values[index] / 2 + 0.5, 0), 1)
            return UInt8((unit * 255).rounded(.toNearestOrEven))
        }
    }
}
