import Foundation
import ImageCodec

/// What `RandomErasing` writes into the erased rectangle (timm's modes).
public enum ErasingMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// One constant colour (`fill`, or the mean: timm's zeros after normalisation).
    case const
    /// One random colour per rectangle: a standard normal per channel, mapped through mean and std.
    case rand
    /// Random noise: a standard normal per pixel and channel, mapped through mean and std.
    case pixel
}

/// timm's `RandomErasing(probability, min_area, max_area, min_aspect, max_aspect, mode, min_count, max_count)` on
/// 8-bit images (torchvision `RandomErasing` is the `const` mode with one rectangle).
///
/// With probability `probability`: `count` rectangles (uniform in `count`), each with up to 10 attempts of
/// `area = U(area)·W·H / count`, `aspect = exp(U(log aspect))`, `h = round(√(area·aspect))`,
/// `w = round(√(area/aspect))` (half to even), accepted when `w < W` and `h < H`, placed at `top = randint(0, H − h)`,
/// `left = randint(0, W − w)`. timm erases normalised tensors; here the values it would write (0, or standard
/// normals) are mapped back to pixels as `round(mean + std·z)`, clamped to 0…255.
public struct RandomErasing: Augmenter {
    /// The probability of erasing.
    public let probability: Double
    /// The range of the erased fraction of the area.
    public let area: ClosedRange<Double>
    /// The range of the aspect ratio (height / width).
    public let aspect: ClosedRange<Double>
    /// What the rectangles are filled with.
    public let mode: ErasingMode
    /// The number of rectangles.
    public let count: ClosedRange<Int>
    /// The constant colour of `.const` (`nil`: the mean, rounded).
    public let fill: [UInt8]?
    /// Per-channel mean in 0…255 (ImageNet's by default).
    public let mean: [Double]
    /// Per-channel standard deviation in 0…255 (ImageNet's by default).
    public let std: [Double]

    /// ImageNet's mean in 0…255.
    public static let imagenetMean = [0.485 * 255, 0.456 * 255, 0.406 * 255]
    /// ImageNet's standard deviation in 0…255.
    public static let imagenetStd = [0.229 * 255, 0.224 * 255, 0.225 * 255]

    /// Creates the augmenter (timm's defaults).
    /// - Parameters:
    ///   - probability: The probability of erasing (default 0.5).
    ///   - area: Erased area fraction (default 0.02…1/3).
    ///   - aspect: Aspect ratio range (default 0.3…1/0.3), positive.
    ///   - mode: The fill mode (default `.const`).
    ///   - count: Rectangles per image (default 1…1), positive.
    ///   - fill: The colour of `.const`, or `nil` for the mean (timm; torchvision's default `value=0` is `[0]`).
    ///   - mean: Per-channel mean in 0…255.
    ///   - std: Per-channel standard deviation in 0…255.
    /// - Precondition: a positive aspect range and count.
    public init(probability: Double = 0.5, area: ClosedRange<Double> = 0.02...(1.0 / 3), aspect: ClosedRange<Double> = 0.3...(1 / 0.3),
                mode: ErasingMode = .const, count: ClosedRange<Int> = 1...1, fill: [UInt8]? = nil,
                mean: [Double] = RandomErasing.imagenetMean, std: [Double] = RandomErasing.imagenetStd) {
        precondition(aspect.lowerBound > 0 && count.lowerBound >= 1, "RandomErasing needs positive aspect and count")
        self.probability = probability
        self.area = area
        self.aspect = aspect
        self.mode = mode
        self.count = count
        self.fill = fill
        self.mean = mean
        self.std = std
    }

    /// Draws the rectangles as timm's `_erase` does.
    /// - Parameters:
    ///   - width: The image's width.
    ///   - height: The image's height.
    ///   - rng: The generator.
    /// - Returns: The rectangles (empty when the coin says no or no attempt fits).
    public func regions(width: Int, height: Int, using rng: inout SampleRNG) -> [PixelRegion] {
        guard rng.uniform() <= probability else { return [] }
        let rectangles = rng.draw(count)
        let total = Double(width * height)
        let logLower = log(aspect.lowerBound), logUpper = log(aspect.upperBound)
        var result: [PixelRegion] = []
        for _ in 0..<rectangles {
            for _ in 0..<10 {
                let target = rng.uniform(area.lowerBound, area.upperBound) * total / Double(rectangles)
                let ratio = exp(rng.uniform(logLower, logUpper))
                // Compared before converting, so a huge (or non-finite) side cannot trap in `Int(_:)`.
                let tall = (target * ratio).squareRoot().rounded(.toNearestOrEven)
                let wide = (target / ratio).squareRoot().rounded(.toNearestOrEven)
                if wide >= 0 && wide < Double(width) && tall >= 0 && tall < Double(height) {
                    let w = Int(wide), h = Int(tall)
                    let top = rng.int(in: 0...(height - h)), left = rng.int(in: 0...(width - w))
                    result.append(PixelRegion(x: left, y: top, width: w, height: h))
                    break
                }
            }
        }
        return result
    }

    /// One channel value for a standard normal draw.
    private func value(_ z: Double, channel: Int) -> UInt8 {
        let m = mean[min(channel, mean.count - 1)], s = std[min(channel, std.count - 1)]
        return UInt8(min(max((m + s * z).rounded(.toNearestOrEven), 0), 255))
    }

    /// Erases rectangles of the sample's image.
    /// - Parameters:
    ///   - sample: The sample.
    ///   - rng: Draws the coin, the count, the rectangles and (in the random modes) the values.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    public func augment(_ sample: inout Sample, using rng: inout SampleRNG) throws(AugmentError) {
        let size = try sample.imageSize()
        let rectangles = regions(width: size.width, height: size.height, using: &rng)
        guard !rectangles.isEmpty else { return }
        try erase(rectangles, in: &sample, noise: &rng)
    }

    /// Erases rectangles, drawing the fill values of the `rand` and `pixel` modes from `rng`.
    /// - Parameters:
    ///   - rectangles: The rectangles (inside the image).
    ///   - sample: The sample.
    ///   - rng: The noise generator.
    /// - Throws: `AugmentError` when the image cannot be decoded.
    func erase(_ rectangles: [PixelRegion], in sample: inout Sample, noise rng: inout SampleRNG) throws(AugmentError) {
        var image = try sample.pixels()
        let channels = image.channels
        for region in rectangles {
            let values: [UInt8]
            switch mode {
            case .const:
                values = fill ?? (0..<channels).map { value(0, channel: $0) }
            case .rand:
                values = (0..<channels).map { value(rng.normal(), channel: $0) }
            case .pixel:
                var patch = [UInt8](repeating: 0, count: region.width * region.height * channels)
                // timm draws a (C, h, w) tensor: channel-major order.
                for c in 0..<channels {
                    for index in 0..<(region.width * region.height) { patch[index * channels + c] = value(rng.normal(), channel: c) }
                }
                values = patch
            }
            image = image.erased(region, with: values)
        }
        sample.image = .decoded(image)
    }
}
