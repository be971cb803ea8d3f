import ImageCodec

extension AugmenterRegistry {
    /// Registers the basic operations:
    /// - `resize(size=N|WxH, interpolation=bilinear, max_size=M)`: `N` matches the shorter edge, `WxH` is exact.
    /// - `center_crop(size=N|WxH)`.
    /// - `random_resized_crop(size=N|WxH, scale=0.08:1, ratio=3/4:4/3, interpolation=bilinear)`.
    /// - `hflip(p=0.5)`, `vflip(p=0.5)`.
    func registerBuiltIns() {
        register("resize", parameters: ["size", "interpolation", "max_size"]) { (parameters) throws(AugmentError) in
            let filter = try parameters.filter("interpolation", default: .bilinear)
            let text = parameters.values["size"] ?? ""
            if let edge = Int(text) {
                guard edge >= 1 else { throw parameters.invalid("size", "a positive size 'N' or 'WxH'") }
                let maxSize = try parameters.optionalInt("max_size", minimum: edge + 1)
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
                              scale: try parameters.range("scale", default: 0.08...1, positive: true),
                              ratio: try parameters.range("ratio", default: (3.0 / 4)...(4.0 / 3), positive: true),
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
