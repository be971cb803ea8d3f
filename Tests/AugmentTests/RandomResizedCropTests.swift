import Foundation
import ImageCodec
import Testing
import TestSupport
@testable import Augment

@Suite("RandomResizedCrop")
struct RandomResizedCropTests {
    private static let defaultRatio = (3.0 / 4)...(4.0 / 3)

    @Test("every sampled region lies inside the image")
    func regionsInsideImage() {
        var rng = SampleRNG(seed: 7, epoch: 0, position: 0)
        for (width, height) in [(1, 1), (2, 3), (500, 375), (375, 500), (10, 1000), (1000, 10), (33, 34)] {
            for _ in 0..<500 {
                let region = RandomResizedCrop.parameters(width: width, height: height, scale: 0.08...1,
                                                          ratio: Self.defaultRatio, using: &rng)
                #expect(region.fits(imageWidth: width, imageHeight: height), "\(region) in \(width)x\(height)")
            }
        }
    }

    @Test("extreme aspect ratios fall back to torchvision's central crop")
    func fallbacks() {
        var rng = SampleRNG(seed: 1, epoch: 0, position: 0)
        // 10×1000: no attempt fits, W/H < 3/4 → w = 10, h = round(10 / 0.75) = 13, centred.
        #expect(RandomResizedCrop.parameters(width: 10, height: 1000, scale: 0.08...1, ratio: Self.defaultRatio,
                                             using: &rng) == PixelRegion(x: 0, y: 493, width: 10, height: 13))
        // 1000×10: h = 10, w = round(10 · 4/3) = 13.
        #expect(RandomResizedCrop.parameters(width: 1000, height: 10, scale: 0.08...1, ratio: Self.defaultRatio,
                                             using: &rng) == PixelRegion(x: 493, y: 0, width: 13, height: 10))
        // A ratio range containing the image's ratio and an impossible scale: the whole image.
        #expect(RandomResizedCrop.parameters(width: 40, height: 30, scale: 2...3, ratio: Self.defaultRatio,
                                             using: &rng) == PixelRegion(x: 0, y: 0, width: 40, height: 30))
        // Python's round is half to even: w = 2, h = round(2 / 0.8) = round(2.5) = 2, not 3.
        #expect(RandomResizedCrop.parameters(width: 2, height: 1000, scale: 2...3, ratio: 0.8...1.25,
                                             using: &rng) == PixelRegion(x: 0, y: 499, width: 2, height: 2))
    }

    @Test("area, aspect ratio and position statistics agree with torchvision's sampler", arguments: [
        (500, 375, 0.08, 1.0), (60, 400, 0.08, 1.0), (300, 300, 0.5, 0.9),
    ])
    func statistics(width: Int, height: Int, low: Double, high: Double) throws {
        let draws = 10_000
        let output = try PeerPython.runPreferringHeavy("random_resized_crop_stats.py", ["\(width)", "\(height)", "\(draws)",
                                                                          "\(low)", "\(high)", "0.75", "\(4.0 / 3)"])
        let peer = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        var rng = SampleRNG(seed: 99, epoch: 1, position: 2)
        var areas: [Double] = [], logs: [Double] = [], xs: [Double] = [], ys: [Double] = []
        for _ in 0..<draws {
            let r = RandomResizedCrop.parameters(width: width, height: height, scale: low...high,
                                                 ratio: Self.defaultRatio, using: &rng)
            areas.append(Double(r.width * r.height) / Double(width * height))
            logs.append(log(Double(r.width) / Double(r.height)))
            xs.append((Double(r.x) + Double(r.width) / 2) / Double(width))
            ys.append((Double(r.y) + Double(r.height) / 2) / Double(height))
        }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        func std(_ values: [Double]) -> Double {
            let m = mean(values)
            return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count)).squareRoot()
        }
        func peerValue(_ key: String) throws -> Double { try #require(peer[key] as? Double, "\(key) in \(peer)") }
        // Standard error of a mean over 10k draws is std/100; allow about 4 standard errors of both samples.
        #expect(abs(mean(areas) - (try peerValue("area_mean"))) < 0.012, "area mean")
        #expect(abs(std(areas) - (try peerValue("area_std"))) < 0.012, "area std")
        #expect(abs(mean(logs) - (try peerValue("log_ratio_mean"))) < 0.01, "log ratio mean")
        #expect(abs(std(logs) - (try peerValue("log_ratio_std"))) < 0.01, "log ratio std")
        #expect(abs(mean(xs) - (try peerValue("x_center_mean"))) < 0.01, "x centre")
        #expect(abs(mean(ys) - (try peerValue("y_center_mean"))) < 0.01, "y centre")
        print("RandomResizedCrop \(width)x\(height) scale \(low):\(high): area mean \(mean(areas)) "
            + "(peer \(try peerValue("area_mean")), \(peer["source"] ?? "?")), log-ratio mean \(mean(logs)) "
            + "(peer \(try peerValue("log_ratio_mean")))")
    }

    @Test("exact mode equals crop then Pillow bilinear resize of the sampled region")
    func exactModeIsCropThenResize() throws {
        let image = TestImages.natural(width: 123, height: 77)
        let crop = RandomResizedCrop(size: 32)
        var sample = TestImages.sample(.decoded(image))
        var rng = SampleRNG(seed: 5, epoch: 0, position: 3)
        var replay = rng
        try crop.augment(&sample, using: &rng)
        let region = RandomResizedCrop.parameters(width: 123, height: 77, scale: crop.scale, ratio: crop.ratio,
                                                  using: &replay)
        let expected = image.cropped(to: region).resized(to: PixelSize(width: 32, height: 32), filter: .bilinear)
        #expect(TestImages.pixels(sample) == expected)
        #expect(rng.next() == replay.next(), "the augmenter draws exactly what parameters() draws")
    }

    @Test("the same generator gives the same output; another seed a different one")
    func determinism() throws {
        let jpeg = try JPEGEncoder.encode(TestImages.natural(width: 320, height: 240), quality: 90)
        for mode in DecodeMode.allCases {
            var outputs: [Image] = []
            for seed in [11, 11, 12] as [UInt64] {
                var sample = TestImages.sample(.encoded(jpeg), mode: mode)
                var rng = SampleRNG(seed: seed, epoch: 2, position: 9)
                try RandomResizedCrop(size: 48).augment(&sample, using: &rng)
                outputs.append(try #require(TestImages.pixels(sample)))
            }
            #expect(outputs[0] == outputs[1], "\(mode)")
            #expect(outputs[0] != outputs[2], "\(mode)")
        }
    }

    @Test("fast mode on a JPEG gives the output size and stays close to the exact mode")
    func fastModeCloseToExact() throws {
        let jpeg = try JPEGEncoder.encode(TestImages.natural(width: 640, height: 480, seed: 3), quality: 92)
        var worst = 0.0, total = 0.0
        for position in 0..<20 {
            var exact = TestImages.sample(.encoded(jpeg), mode: .exact)
            var fast = TestImages.sample(.encoded(jpeg), mode: .fast)
            var rngExact = SampleRNG(seed: 3, epoch: 0, position: position)
            var rngFast = rngExact
            let crop = RandomResizedCrop(size: PixelSize(width: 64, height: 48))
            try crop.augment(&exact, using: &rngExact)
            try crop.augment(&fast, using: &rngFast)
            let a = try #require(TestImages.pixels(exact)), b = try #require(TestImages.pixels(fast))
            #expect(b.width == 64 && b.height == 48 && b.channels == 3)
            let difference = TestImages.meanAbsoluteDifference(a, b)
            worst = max(worst, difference)
            total += difference
        }
        print("RandomResizedCrop fast vs exact: mean abs diff \(total / 20), worst \(worst)")
        #expect(worst < 6)
        #expect(total / 20 < 3)
    }

    @Test("fast mode handles regions at the edges of JPEGs whose size is not a multiple of the DCT block")
    func fastModeEdges() throws {
        for (width, height, channels) in [(203, 157, 3), (97, 301, 1), (17, 9, 3)] {
            let image = TestImages.natural(width: width, height: height, channels: channels, seed: 9)
            let jpeg = try JPEGEncoder.encode(image, quality: 85)
            for position in 0..<60 {
                var sample = TestImages.sample(.encoded(jpeg), mode: .fast)
                sample.decodeOptions.mode = channels == 1 ? .gray : .rgb
                var rng = SampleRNG(seed: 21, epoch: 0, position: position)
                try RandomResizedCrop(size: PixelSize(width: 12, height: 10), scale: 0.01...1, ratio: 0.2...5)
                    .augment(&sample, using: &rng)
                let output = try #require(TestImages.pixels(sample))
                #expect(output.width == 12 && output.height == 10 && output.channels == channels)
            }
        }
    }
}
