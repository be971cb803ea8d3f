import ImageCodec
import Foundation

extension AugmenterRegistry {
    /// Registers the Pillow/torchvision/timm pixel operations. Lists (fills, paddings, matrices, centres) separate
    /// their values with `;` (the spec grammar reserves `,`): `fill=124;116;104`. Ranges are `low:high`; a single
    /// number is a fixed value. `p` is the probability of applying (default 1, in 0…1). Every number must be finite
    /// and within the bound given here (checked when the spec is parsed): angles in degrees within ±360
    /// (`AugmentLimits.maxDegrees`), positions and offsets in pixels within ±89,478,485 (`AugmentLimits.maxCoordinate`),
    /// sizes with sides in 1…65,535 (`AugmentLimits.maxSide`) and W×H ≤ 89,478,485 pixels (`AugmentLimits.maxPixels`),
    /// fill values 0…255.
    /// - `rotate(degrees=D | low:high, angle=A, interpolation=nearest, center=x;y, fill=0, expand=false)`: `degrees=D`
    ///   means `−D:D`; `expand=true` grows the output to hold the whole rotated image (Pillow's `expand=True`), and an
    ///   output that would exceed 89,478,485 pixels fails with an `AugmentError` when augmented.
    /// - `random_affine(degrees=D | low:high, translate=x;y, scale=low:high, shear=D | low:high | xl;xh;yl;yh,
    ///   interpolation, fill, center=x;y)`: torchvision `RandomAffine`; `translate` fractions in 0…1, `scale` within
    ///   0.01…100, `shear` angles within ±360.
    /// - `affine(matrix=a;b;c;d;e;f, interpolation, fill)`: entries within ±89,478,485;
    ///   `shear_x|shear_y(factor, random_sign=false, interpolation, fill)`: factors within ±100;
    ///   `translate_x|translate_y(offset, relative=false, random_sign=false, interpolation, fill)`: offsets in pixels,
    ///   or with `relative` fractions of the side within ±1.
    /// - `pad(padding=N | h;v | l;t;r;b, mode=constant|edge|reflect|symmetric, fill)`: paddings ≥ 0 that keep a
    ///   padded 1×1 image within the size limits (`(1+l+r)×(1+t+b)`); an input whose padded output would exceed
    ///   89,478,485 pixels fails with an `AugmentError` when augmented. `crop(x, y, width, height)`: x, y within
    ///   ±89,478,485, width×height a size within the limits. `random_crop(size, padding, pad_if_needed=false, fill,
    ///   padding_mode)`: the same for `size` and `padding`, and the padded image is checked like `pad`'s.
    /// - `autocontrast(p)`, `equalize(p)`, `invert(p)`, `posterize(bits 0…8, p)`, `solarize(threshold 0…256, p)`,
    ///   `solarize_add(add −255…255, threshold=128 in 0…256, p)`, `color|contrast|brightness|sharpness(factor within
    ///   ±100, p)`, `grayscale(channels 1 or 3, p)`.
    /// - `color_jitter(brightness, contrast, saturation, hue)`: a number `b` means torchvision's `max(0, 1−b):1+b`
    ///   (`−h:h` for hue), a range is used as is; brightness, contrast and saturation factors within 0…100, hue
    ///   within ±0.5 (torchvision's bound).
    /// - `gaussian_blur(kernel_size=N | WxH, sigma=0.1:2)`: odd kernel sides in 1…255, sigma within 0.001…1000.
    /// - `random_erasing(p=0.5, area=0.02:1/3, aspect=0.3:1/0.3, mode=const|rand|pixel, count=1, fill)`: `area`
    ///   fractions within 0…1, `aspect` within 0.01…100, `count` (or `low:high`) within 1…1000.
    func registerPixelOperations() {
        registerGeometry()
        registerPadAndCrop()
        registerPointOperations()
        registerColour()
    }

    private func registerGeometry() {
        register("rotate", parameters: ["degrees", "angle", "interpolation", "center", "fill", "expand"]) {
            (parameters) throws(AugmentError) in
            let degrees: ClosedRange<Double>
            if parameters.values["angle"] != nil {
                guard parameters.values["degrees"] == nil else { throw parameters.invalid("angle", "either angle or degrees") }
                let angle = try parameters.double("angle", in: AugmenterParameters.angleBounds)
                degrees = angle...angle
            } else {
                degrees = try parameters.symmetricRange("degrees", in: AugmenterParameters.angleBounds)
            }
            let center = try parameters.numbers("center", count: [2], in: AugmenterParameters.coordinateBounds)
            return Rotate(degrees: degrees, interpolation: try parameters.interpolation(),
                          center: center.map { (x: $0[0], y: $0[1]) }, fill: try parameters.fill(),
                          expand: try parameters.bool("expand"))
        }
        register("affine", parameters: ["matrix", "interpolation", "fill"]) { (parameters) throws(AugmentError) in
            guard let m = try parameters.numbers("matrix", count: [6], in: AugmenterParameters.coordinateBounds) else {
                throw parameters.invalid("matrix", "six numbers 'a;b;c;d;e;f'")
            }
            return Affine(matrix: AffineMatrix(m[0], m[1], m[2], m[3], m[4], m[5]),
                          interpolation: try parameters.interpolation(), fill: try parameters.fill())
        }
        register("random_affine", parameters: ["degrees", "translate", "scale", "shear", "interpolation", "fill", "center"]) {
            (parameters) throws(AugmentError) in
            let degrees = try parameters.symmetricRange("degrees", in: AugmenterParameters.angleBounds)
            let translate = try parameters.numbers("translate", count: [2], in: 0...1)
            let scale = parameters.values["scale"] == nil ? nil : try parameters.range("scale", default: 1...1, in: 0.01...100)
            var shearX: ClosedRange<Double>?, shearY: ClosedRange<Double>?
            if parameters.values["shear"]?.contains(";") == true,
               let shear = try parameters.numbers("shear", count: [4], in: AugmenterParameters.angleBounds) {
                guard shear[0] <= shear[1] && shear[2] <= shear[3] else {
                    throw parameters.invalid("shear", "'D', 'low:high' or 'xlow;xhigh;ylow;yhigh'")
                }
                shearX = shear[0]...shear[1]
                shearY = shear[2]...shear[3]
            } else if parameters.values["shear"] != nil {
                shearX = try parameters.symmetricRange("shear", in: AugmenterParameters.angleBounds)
            }
            let center = try parameters.numbers("center", count: [2], in: AugmenterParameters.coordinateBounds)
            return RandomAffine(degrees: degrees, translate: translate.map { (x: $0[0], y: $0[1]) }, scale: scale,
                                shearX: shearX, shearY: shearY, interpolation: try parameters.interpolation(),
                                fill: try parameters.fill(), center: center.map { (x: $0[0], y: $0[1]) })
        }
        for name in ["shear_x", "shear_y"] {
            register(name, parameters: ["factor", "random_sign", "interpolation", "fill"]) {
                (parameters) throws(AugmentError) in
                let factor = try parameters.range("factor", default: 0...0, in: AugmenterParameters.factorBounds)
                let sign = try parameters.bool("random_sign")
                let interpolation = try parameters.interpolation(), fill = try parameters.fill()
                return name == "shear_x"
                    ? ShearX(factor: factor, randomSign: sign, interpolation: interpolation, fill: fill) as any Augmenter
                    : ShearY(factor: factor, randomSign: sign, interpolation: interpolation, fill: fill)
            }
        }
        for name in ["translate_x", "translate_y"] {
            register(name, parameters: ["offset", "relative", "random_sign", "interpolation", "fill"]) {
                (parameters) throws(AugmentError) in
                let relative = try parameters.bool("relative"), sign = try parameters.bool("random_sign")
                let offset = try parameters.range("offset", default: 0...0,
                                                  in: relative ? -1...1 : AugmenterParameters.coordinateBounds)
                let interpolation = try parameters.interpolation(), fill = try parameters.fill()
                return name == "translate_x"
                    ? TranslateX(offset: offset, relative: relative, randomSign: sign, interpolation: interpolation,
                                 fill: fill) as any Augmenter
                    : TranslateY(offset: offset, relative: relative, randomSign: sign, interpolation: interpolation,
                                 fill: fill)
            }
        }
    }

    private func registerPadAndCrop() {
        register("pad", parameters: ["padding", "mode", "fill"]) { (parameters) throws(AugmentError) in
            try parameters.pad("padding", modeName: "mode") ?? Pad(left: 0, top: 0, right: 0, bottom: 0)
        }
        register("crop", parameters: ["x", "y", "width", "height"]) { (parameters) throws(AugmentError) in
            let coordinates = -AugmentLimits.maxCoordinate...AugmentLimits.maxCoordinate
            let x = try parameters.int("x", in: coordinates), y = try parameters.int("y", in: coordinates)
            let width = try parameters.int("width", in: 1...AugmentLimits.maxSide)
            let height = try parameters.int("height", in: 1...AugmentLimits.maxSide)
            guard AugmentLimits.allowsSize(width: width, height: height) else {
                throw parameters.invalid("height", "an integer with width×height ≤ \(AugmentLimits.maxPixels) pixels")
            }
            return Crop(region: PixelRegion(x: x, y: y, width: width, height: height))
        }
        register("random_crop", parameters: ["size", "padding", "pad_if_needed", "fill", "padding_mode"]) {
            (parameters) throws(AugmentError) in
            RandomCrop(size: try parameters.size("size"), padding: try parameters.pad("padding", modeName: "padding_mode"),
                       padIfNeeded: try parameters.bool("pad_if_needed"), paddingMode: try parameters.paddingMode("padding_mode"),
                       fill: try parameters.fill())
        }
    }

    private func registerPointOperations() {
        register("autocontrast", parameters: ["p"]) { (parameters) throws(AugmentError) in
            AutoContrast(p: try parameters.double("p", default: 1, in: 0...1))
        }
        register("equalize", parameters: ["p"]) { (parameters) throws(AugmentError) in
            Equalize(p: try parameters.double("p", default: 1, in: 0...1))
        }
        register("invert", parameters: ["p"]) { (parameters) throws(AugmentError) in
            Invert(p: try parameters.double("p", default: 1, in: 0...1))
        }
        register("posterize", parameters: ["bits", "p"]) { (parameters) throws(AugmentError) in
            Posterize(bits: try parameters.intRange("bits", within: 0...8),
                      p: try parameters.double("p", default: 1, in: 0...1))
        }
        register("solarize", parameters: ["threshold", "p"]) { (parameters) throws(AugmentError) in
            Solarize(threshold: try parameters.intRange("threshold", within: 0...256),
                     p: try parameters.double("p", default: 1, in: 0...1))
        }
        register("solarize_add", parameters: ["add", "threshold", "p"]) { (parameters) throws(AugmentError) in
            SolarizeAdd(addition: try parameters.intRange("add", within: -255...255),
                        threshold: try parameters.int("threshold", default: 128, in: 0...256),
                        p: try parameters.double("p", default: 1, in: 0...1))
        }
    }

    private func registerColour() {
        for kind in EnhanceKind.allCases {
            register(kind.rawValue, parameters: ["factor", "p"]) { (parameters) throws(AugmentError) in
                let factor = try parameters.range("factor", default: 1...1, in: AugmenterParameters.factorBounds)
                let p = try parameters.double("p", default: 1, in: 0...1)
                switch kind {
                case .color: return Color(factor: factor, p: p)
                case .contrast: return Contrast(factor: factor, p: p)
                case .brightness: return Brightness(factor: factor, p: p)
                case .sharpness: return Sharpness(factor: factor, p: p)
                }
            }
        }
        register("grayscale", parameters: ["channels", "p"]) { (parameters) throws(AugmentError) in
            let channels = try parameters.optionalInt("channels", in: 1...3)
            if let channels, channels != 1 && channels != 3 { throw parameters.invalid("channels", "1 or 3") }
            return Grayscale(outputChannels: channels, p: try parameters.double("p", default: 1, in: 0...1))
        }
        register("color_jitter", parameters: ["brightness", "contrast", "saturation", "hue"]) {
            (parameters) throws(AugmentError) in
            ColorJitter(brightness: try parameters.jitter("brightness", center: 1, in: 0...100),
                        contrast: try parameters.jitter("contrast", center: 1, in: 0...100),
                        saturation: try parameters.jitter("saturation", center: 1, in: 0...100),
                        hue: try parameters.jitter("hue", center: 0, in: -0.5...0.5))
        }
        register("gaussian_blur", parameters: ["kernel_size", "sigma"]) { (parameters) throws(AugmentError) in
            let kernel = try parameters.size("kernel_size")
            guard kernel.width % 2 == 1 && kernel.height % 2 == 1,
                  kernel.width <= AugmenterParameters.maxBlurKernel, kernel.height <= AugmenterParameters.maxBlurKernel else {
                throw parameters.invalid("kernel_size", "odd sizes 'N' or 'WxH' in 1...\(AugmenterParameters.maxBlurKernel)")
            }
            return GaussianBlur(kernelSize: (kernel.width, kernel.height),
                                sigma: try parameters.range("sigma", default: 0.1...2.0, in: 0.001...1000))
        }
        register("random_erasing", parameters: ["p", "area", "aspect", "mode", "count", "fill"]) {
            (parameters) throws(AugmentError) in
            let modeText = parameters.values["mode"] ?? "const"
            guard let mode = ErasingMode(rawValue: modeText) else { throw parameters.invalid("mode", "const, rand or pixel") }
            return RandomErasing(probability: try parameters.double("p", default: 0.5, in: 0...1),
                                 area: try parameters.range("area", default: 0.02...(1.0 / 3), in: 0...1),
                                 aspect: try parameters.range("aspect", default: 0.3...(1 / 0.3), in: 0.01...100),
                                 mode: mode, count: try parameters.intRange("count", within: 1...1000, default: 1...1),
                                 fill: parameters.values["fill"] == nil ? nil : try parameters.fill())
        }
    }
}

extension AugmenterParameters {
    /// Angles in degrees: a full turn each way (`AugmentLimits.maxDegrees`).
    fileprivate static let angleBounds = -AugmentLimits.maxDegrees...AugmentLimits.maxDegrees
    /// Positions, offsets and affine matrix entries in pixels (`AugmentLimits.maxCoordinate`).
    fileprivate static let coordinateBounds = -Double(AugmentLimits.maxCoordinate)...Double(AugmentLimits.maxCoordinate)
    /// Enhancement and shear factors: far beyond the point where every pixel saturates.
    fileprivate static let factorBounds = -100.0...100.0
    /// The largest Gaussian blur kernel side (the cost per pixel grows with the kernel's area).
    fileprivate static let maxBlurKernel = 255

    /// A `;`-separated list of numbers with one of the allowed counts, each within `bounds`, or `nil` when absent.
    fileprivate func numbers(_ name: String, count allowed: [Int], in bounds: ClosedRange<Double>)
        throws(AugmentError) -> [Double]? {
        guard let text = values[name] else { return nil }
        let parts = text.split(separator: ";", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let numbers = parts.compactMap { Self.number($0) }
        guard numbers.count == parts.count, allowed.contains(numbers.count), numbers.allSatisfy(bounds.contains) else {
            throw invalid(name, allowed.map { "\($0)" }.joined(separator: " or ")
                          + " numbers separated by ';' within \(bounds.lowerBound)...\(bounds.upperBound)")
        }
        return numbers
    }

    /// A number `D` meaning `−D…D`, or a range `low:high`, within `bounds`; absent gives `0…0`.
    fileprivate func symmetricRange(_ name: String, in bounds: ClosedRange<Double>) throws(AugmentError)
        -> ClosedRange<Double> {
        guard let text = values[name] else { return 0...0 }
        if let value = Self.number(text) {
            guard value >= 0, bounds.contains(-value), bounds.contains(value) else {
                throw invalid(name, "a number 'D' in 0...\(min(-bounds.lowerBound, bounds.upperBound)) or 'low:high' "
                              + "within \(bounds.lowerBound)...\(bounds.upperBound)")
            }
            return -value...value
        }
        return try range(name, default: 0...0, in: bounds)
    }

    /// A fill colour: `v` or `r;g;b` (bytes); absent gives `[0]`.
    fileprivate func fill(_ name: String = "fill") throws(AugmentError) -> [UInt8] {
        guard let text = values[name] else { return [0] }
        let parts = text.split(separator: ";", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        let bytes = parts.compactMap { $0 }.filter { (0...255).contains($0) }.map { UInt8($0) }
        guard bytes.count == parts.count, [1, 3, 4].contains(bytes.count) else {
            throw invalid(name, "a byte 'v' or 'r;g;b' with values in 0...255")
        }
        return bytes
    }

    /// A boolean (`true`/`false`/`1`/`0`), default false.
    fileprivate func bool(_ name: String) throws(AugmentError) -> Bool {
        guard let text = values[name] else { return false }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw invalid(name, "true or false")
        }
    }

    /// The `interpolation` parameter (nearest, bilinear or bicubic), default nearest.
    fileprivate func interpolation() throws(AugmentError) -> AffineInterpolation {
        guard let text = values["interpolation"] else { return .nearest }
        guard let value = AffineInterpolation.named(text) else { throw invalid("interpolation", "nearest, bilinear or bicubic") }
        return value
    }

    /// A padding mode, default constant.
    fileprivate func paddingMode(_ name: String) throws(AugmentError) -> PaddingMode {
        guard let text = values[name] else { return .constant }
        guard let mode = PaddingMode(rawValue: text.lowercased()) else {
            throw invalid(name, "constant, edge, reflect or symmetric")
        }
        return mode
    }

    /// A `Pad` from a padding list, or `nil` when absent: paddings ≥ 0 that keep a padded 1×1 image a size
    /// `AugmentLimits.allowsSize` accepts (`(1 + left + right) × (1 + top + bottom)`).
    fileprivate func pad(_ name: String, modeName: String) throws(AugmentError) -> Pad? {
        guard let text = values[name] else { return nil }
        let parts = text.split(separator: ";", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        let numbers = parts.compactMap { $0 }
        guard numbers.count == parts.count, numbers.allSatisfy({ (0...AugmentLimits.maxSide).contains($0) }),
              let pad = Pad(padding: numbers, mode: try paddingMode(modeName), fill: try fill()),
              AugmentLimits.allowsSize(width: 1 + pad.left + pad.right, height: 1 + pad.top + pad.bottom) else {
            throw invalid(name, "non-negative 'N', 'h;v' or 'l;t;r;b' with 1+l+r and 1+t+b in 1...\(AugmentLimits.maxSide) "
                          + "and (1+l+r)×(1+t+b) ≤ \(AugmentLimits.maxPixels)")
        }
        return pad
    }

    /// An integer range `low:high` or a single integer.
    fileprivate func intRange(_ name: String, within bounds: ClosedRange<Int>, default fallback: ClosedRange<Int>? = nil)
        throws(AugmentError) -> ClosedRange<Int> {
        guard let text = values[name] else {
            if let fallback { return fallback }
            throw AugmentError(operation: operation, key: PipelineSpec.errorKey, message: "missing parameter '\(name)'")
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...2).contains(parts.count), let low = parts.first ?? nil, let high = parts.last ?? nil, low <= high,
              bounds.contains(low), bounds.contains(high) else {
            throw invalid(name, "an integer or 'low:high' within \(bounds.lowerBound)...\(bounds.upperBound)")
        }
        return low...high
    }

    /// A ColorJitter argument: a number `v` (`max(0, c − v):c + v`), a range, or absent (`nil`); the factors
    /// (both ends of the range) lie within `bounds`.
    fileprivate func jitter(_ name: String, center: Double, in bounds: ClosedRange<Double>) throws(AugmentError)
        -> ClosedRange<Double>? {
        guard let text = values[name] else { return nil }
        if let value = Self.number(text) {
            let low = center == 0 ? -value : max(0, center - value), high = center + value
            guard value >= 0, bounds.contains(low), bounds.contains(high) else {
                throw invalid(name, "a non-negative number or 'low:high', giving factors within "
                              + "\(bounds.lowerBound)...\(bounds.upperBound)")
            }
            return value == 0 ? nil : low...high
        }
        return try range(name, default: center...center, in: bounds)
    }
}
