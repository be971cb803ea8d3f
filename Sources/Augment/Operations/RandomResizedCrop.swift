import Foundation
import ImageCodec

/// Crops a random region of random area and aspect ratio and resizes it to `size` (torchvision
/// `RandomResizedCrop`), the standard ImageNet training crop.
///
/// The region is sampled as torchvision's `get_params` does (see `parameters(width:height:scale:ratio:using:)`),
/// drawing from the sample's generator. In the exact mode the region is cropped from the full decode and resized
/// (`img.crop((j, i, j + w, i + h)).resize(size, filter)`), byte for byte as torchvision's PIL path. In the fast mode an
/// encoded JPEG decodes only the region, at the coarsest DCT scale that still gives at least `size`, and the region is
/// resized from those pixels.
public struct RandomResizedCrop: Augmenter {
    /// The output size.
    public let size: PixelSize
    /// The range of the crop's area as a fraction of the image's area.
    public let scale: ClosedRange<Double>
    /// The range of the crop's aspect ratio (width / height).
    public let ratio: ClosedRange<Double>
    /// The resampling filter (torchvision's default is bilinear).
    public let interpolation: ResampleFilter

    /// Creates the augmenter.
    /// - Parameters:
    ///   - size: The output size (both sides ≥ 1, a size `AugmentLimits.allowsSize` accepts).
    ///   - scale: Area fraction range (default 0.08…1).
    ///   - ratio: Aspect ratio range (default 3/4…4/3; both bounds > 0).
    ///   - interpolation: The filter (default bilinear).
    /// - Precondition: `size` is a size `AugmentLimits.allowsSize` accepts, and `ratio.lowerBound > 0`.
    public init(size: PixelSize, scale: ClosedRange<Double> = 0.08...1, ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3),
                interpolation: ResampleFilter = .bilinear) {
        precondition(AugmentLimits.allowsSize(width: size.width, height: size.height),
                     "RandomResizedCrop size \(size) is outside AugmentLimits.allowsSize")
        precondition(ratio.lowerBound > 0, "RandomResizedCrop ratio \(ratio) must be positive")
        self.size = size
        self.scale = scale
        self.ratio = ratio
        self.interpolation = interpolation
    }

    /// Creates the augmenter with a square output.
    /// - Parameters:
    ///   - size: The output side length.
    ///   - scale: Area fraction range.
    ///   - ratio: Aspect ratio range.
    ///   - interpolation: The filter.
    public init(size: Int, scale: ClosedRange<Double> = 0.08...1, ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3),
                interpolation: ResampleFilter = .bilinear) {
        self.init(size: PixelSize(width: size, height: size), scale: scale, ratio: ratio, interpolation: interpolation)
    }

    /// Creates the augmenter with a square output and torchvision's defaults (`RandomResizedCrop(224)`).
    /// - Parameter size: The output side length (≥ 1).
    public init(_ size: Int) { self.init(size: size) }

    /// Samples a crop region as torchvision's `RandomResizedCrop.get_params` does: up to 10 attempts of
    /// `target = W·H · U(scale)` and `ar = exp(U(log ratio))` (both rounded to single precision, as torch computes
    /// them), `w = round(√(target·ar))`, `h = round(√(target/ar))` (half to even); the first with `0 < w ≤ W` and
    /// `0 < h ≤ H` gets `i ∈ [0, H − h]` and `j ∈ [0, W − w]` uniformly. Otherwise the central crop of the whole
    /// image clamped to the ratio range.
    /// - Parameters:
    ///   - width: The image's width (≥ 1).
    ///   - height: The image's height (≥ 1).
    ///   - scale: Area fraction range.
    ///   - ratio: Aspect ratio range.
    ///   - rng: The generator to draw from.
    /// - Returns: The crop region (always inside the image).
    public static func parameters(width: Int, height: Int, scale: ClosedRange<Double>, ratio: ClosedRange<Double>,
                                  using rng: inout SampleRNG) -> PixelRegion {
        let area = Double(width * height)
        let logLower = Float(log(Double(Float(ratio.lowerBound))))
        let logUpper = Float(log(Double(Float(ratio.upperBound))))
        let scaleLower = Float(scale.lowerBound), scaleUpper = Float(scale.upperBound)
        for _ in 0..<10 {
            let fraction = scaleLower + (scaleUpper - scaleLower) * Float(rng.uniform())
            let target = area * Double(fraction)
            let logRatio = logLower + (logUpper - logLower) * Float(rng.uniform())
            let aspect = Double(Float(exp(Double(logRatio))))
            // Compared before converting, so a huge (or non-finite) side cannot trap in `Int(_:)`.
            let wide = (target * aspect).squareRoot().rounded(.toNearestOrEven)
            let tall = (target / aspect).squareRoot().rounded(.toNearestOrEven)
            if wide >= 1 && wide <= Double(width) && tall >= 1 && tall <= Double(height) {
                let w = Int(wide), h = Int(tall)
                let i = rng.int(in: 0...(height - h))
                let j = rng.int(in: 0...(width - w))
                return PixelRegion(x: j, y: i, width: w, height: h)
            }
        }
        let inputRatio = Double(width) / Double(height)
        var w = width, h = height
        // Clamped to the image before converting (as below), so an extreme ratio cannot trap in `Int(_:)`.
        if inputRatio < ratio.lowerBound {
            h = Int(min((Double(w) / ratio.lowerBound).rounded(.toNearestOrEven), Double(height)))
        } else if inputRatio > ratio.upperBound {
            w = Int(min((Double(h) * ratio.upperBound).rounded(.toNearestOrEven), Double(width)))
        }
        w = min(max(w, 1), width)
        h = min(max(h, 1), height)
        return PixelRegion(x: (width - w) / 2, y: (height - h) / 2, width: w, height: h)
    }

    /// torchvision's PIL `resized_crop`: crops `region` and resizes the crop to `size`.
    /// - Parameters:
    ///   - image: The image.
    ///   - region: The crop (inside the image).
    ///   - size: The output size.
    ///   - filter: The resampling filter.
    /// - Returns: The resized crop.
    public static func cropAndResize(_ image: Image, region: PixelRegion, to size: PixelSize,
                                     filter: ResampleFilter) -> Image {
        let whole = region == PixelRegion(x: 0, y: 0, width: image.width, height: image.height)
        return (whole ? image : image.cropped(to: region)).resized(to: size, filter: filter)
    }

    /// Crops a random region of the sample's image and resizes it to `size`.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: The sample's generator (draws 2 uniforms per attempt and 2 integers on success).
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        let input = try sample.imageSize()
        guard input.width > 0 && input.height > 0 else {
            throw AugmentError(operation: "random_resized_crop", key: sample.key, source: sample.source,
                               message: "empty \(input) image")
        }
        let region = Self.parameters(width: input.width, height: input.height, scale: scale, ratio: ratio, using: &rng)
        try sample.replaceImage(withRegion: region, resizedTo: size, filter: interpolation)
    }
}
