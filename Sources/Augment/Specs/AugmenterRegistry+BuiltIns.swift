import ImageCodec

extension AugmenterRegistry {
    /// Registers the basic operations. Sizes are `N` (square) or `WxH` with W, H in 1…`AugmentLimits.maxSide`
    /// (65,535) and W×H ≤ `AugmentLimits.maxPixels` (89,478,485, the decoder's limit), so no output exceeds what the
    /// decoder accepts.
    /// - `resize(size=N|WxH, interpolation=bilinear, max_size=M)`: `N` matches the shorter edge, `WxH` is exact;
    ///   `N` is at most `AugmentLimits.maxShorterEdge` (9459, as the output is at least N×N) and `M` lies in
    ///   `N+1 … min(maxSide, maxPixels/N)` (the output is at most N×M). An input so elongated that the output would
    ///   still exceed `maxPixels` fails with an `AugmentError` when augmented.
    /// - `center_crop(size=N|WxH)`.
    /// - `random_resized_crop(size=N|WxH, scale=0.08:1, ratio=3/4:4/3, interpolation=bilinear)`: `scale` (area
    ///   fraction) within 0 < low ≤ high ≤ 1, `ratio` (width/height) within 0.01…100.
    /// - `hflip(p=0.5)`, `vflip(p=0.5)`: `p` in 0…1.
    func registerBuiltIns() {
        register("resize", parameters: ["size", "interpolation", "max_size"]) { (parameters) throws(AugmentError) in
            let filter = try parameters.filter("interpolation", default: .bilinear)
            let text = parameters.values["size"] ?? ""
            if let edge = Int(text) {
                guard (1...AugmentLimits.maxShorterEdge).contains(edge) else {
                    throw parameters.invalid("size", "a shorter edge 'N' in 1...\(AugmentLimits.maxShorterEdge) "
                                             + "(N×N ≤ \(AugmentLimits.maxPixels) pixels) or a size 'WxH'")
                }
                let longestEdge = min(AugmentLimits.maxSide, AugmentLimits.maxPixels / edge)
                guard longestEdge > edge else {
                    if parameters.values["max_size"] == nil { return Resize(size: edge, interpolation: filter) }
                    throw parameters.invalid("max_size", "no max_size with size \(edge) (N×max_size ≤ \(AugmentLimits.maxPixels))")
                }
                let maxSize = try parameters.optionalInt("max_size", in: (edge + 1)...longestEdge)
                return Resize(size: edge, interpolation: filter, maxSize: maxSize)
            }
            if parameters.values["max_size"] != nil {
                throw parameters.invalid("max_size", "no max_size with an explicit WxH size")
            }
            return Resize(size: try parameters.size("size"), interpolation: filter)
        }
        register("center_crop", parameters: ["size"]) { (parameters) throws(AugmentError) in
            CenterCrop(size: try parameters.size("size"))
        }
        register("random_resized_crop", parameters: ["size", "scale", "ratio", "interpolation"]) {
            (parameters) throws(AugmentError) in
            RandomResizedCrop(size: try parameters.size("size"),
                              scale: try parameters.range("scale", default: 0.08...1, in: 0...1, positive: true),
                              ratio: try parameters.range("ratio", default: (3.0 / 4)...(4.0 / 3), in: 0.01...100),
                              interpolation: try parameters.filter("interpolation", default: .bilinear))
        }
        register("hflip", parameters: ["p"]) { (parameters) throws(AugmentError) in
            HorizontalFlip(p: try parameters.double("p", default: 0.5, in: 0...1))
        }
        register("vflip", parameters: ["p"]) { (parameters) throws(AugmentError) in
            VerticalFlip(p: try parameters.double("p", default: 0.5, in: 0...1))
        }
    }
}
