/// Nearest-neighbour 2× upsampling (`F.interpolate(scale_factor=2, mode="nearest")`).
public enum Upsample {
    /// Writes each pixel of `input` into a 2 × 2 block of `output`.
    /// - Parameters:
    ///   - input: The image.
    ///   - output: A map of twice the height and width, same channels.
    public static func nearest2x(_ input: FeatureMap, into output: FeatureMap) {
        precondition(output.height == 2 * input.height && output.width == 2 * input.width && output.channels == input.channels,
                     "nearest 2× upsampling needs a map of twice the size")
        let channels = input.channels
        for y in 0..<output.height {
            for x in 0..<output.width {
                (output.values + (y * output.width + x) * channels)
                    .update(from: input.values + ((y / 2) * input.width + x / 2) * channels, count: channels)
            }
        }
    }
}
