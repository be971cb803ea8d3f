import Foundation
import ImageCodec
@testable import Augment

/// Deterministic test images and samples.
enum TestImages {
    /// A smooth image with edges and a little noise (what photographs look like to a resampler).
    static func natural(width: Int, height: Int, channels: Int = 3, seed: UInt64 = 1) -> Image {
        var rng = SampleRNG(seed: seed, epoch: 0, position: 0)
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        let frequencies = (0..<channels).map { _ in (rng.uniform(0.01, 0.08), rng.uniform(0.01, 0.08), rng.uniform(0, 6)) }
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    let (fx, fy, phase) = frequencies[c]
                    var value = 128 + 90 * sin(fx * Double(x) + phase) * cos(fy * Double(y))
                    if x > width / 3 && x < width / 2 && y > height / 4 && y < height / 2 { value = 230 }
                    value += rng.uniform(-4, 4)
                    pixels[(y * width + x) * channels + c] = UInt8(max(0, min(255, value.rounded())))
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// A sample holding `image`, decoded or JPEG-encoded.
    static func sample(_ image: SampleImage, mode: DecodeMode = .exact) -> Sample {
        Sample(key: "test", source: SampleSource(url: "memory", path: "test"), image: image, decodeMode: mode)
    }

    /// The decoded pixels of a sample that must hold pixels.
    static func pixels(_ sample: Sample) -> Image? {
        if case .decoded(let image) = sample.image { return image }
        return nil
    }

    /// Mean absolute difference of two same-shaped images.
    static func meanAbsoluteDifference(_ a: Image, _ b: Image) -> Double {
        precondition(a.pixels.count == b.pixels.count)
        var total = 0
        for (x, y) in zip(a.pixels, b.pixels) { total += abs(Int(x) - Int(y)) }
        return Double(total) / Double(max(1, a.pixels.count))
    }
}
