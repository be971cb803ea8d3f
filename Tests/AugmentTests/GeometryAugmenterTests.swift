import Foundation
import ImageCodec
import Testing
@testable import Augment

@Suite("Resize and CenterCrop augmenters")
struct GeometryAugmenterTests {
    @Test("Resize output sizes follow torchvision's _compute_resized_output_size")
    func resizeSizes() {
        #expect(Resize(size: 256).outputSize(width: 500, height: 375) == PixelSize(width: 341, height: 256))
        #expect(Resize(size: 256).outputSize(width: 375, height: 500) == PixelSize(width: 256, height: 341))
        #expect(Resize(size: 224).outputSize(width: 100, height: 100) == PixelSize(width: 224, height: 224))
        // int(7 * 3 / 2) = int(10.5) = 10 (truncation, not rounding).
        #expect(Resize(size: 7).outputSize(width: 3, height: 2) == PixelSize(width: 10, height: 7))
        // max_size: the longer edge 341 > 300 → (300, int(300 * 256 / 341)) = (300, 225).
        #expect(Resize(size: 256, maxSize: 300).outputSize(width: 500, height: 375)
            == PixelSize(width: 300, height: 225))
        #expect(Resize(size: 256, maxSize: 400).outputSize(width: 500, height: 375)
            == PixelSize(width: 341, height: 256))
        #expect(Resize(size: PixelSize(width: 30, height: 20)).outputSize(width: 500, height: 375)
            == PixelSize(width: 30, height: 20))
    }

    @Test("Resize in the exact mode equals Image.resized (Pillow) on the full decode")
    func resizeExact() throws {
        let image = TestImages.natural(width: 97, height: 61)
        let jpeg = try JPEGEncoder.encode(image, quality: 90)
        let decoded = try ImageDecoder.decode(jpeg)
        var sample = TestImages.sample(.encoded(jpeg))
        var rng = SampleRNG(seed: 1, epoch: 0, position: 0)
        try Resize(size: 40, interpolation: .bicubic).augment(&sample, using: &rng)
        #expect(TestImages.pixels(sample) == decoded.resized(to: PixelSize(width: 63, height: 40), filter: .bicubic))
    }

    @Test("Resize in the fast mode decodes at a reduced DCT scale and stays close to the exact mode")
    func resizeFast() throws {
        let jpeg = try JPEGEncoder.encode(TestImages.natural(width: 800, height: 600, seed: 2), quality: 92)
        var exact = TestImages.sample(.encoded(jpeg)), fast = TestImages.sample(.encoded(jpeg), mode: .fast)
        var rng = SampleRNG(seed: 1, epoch: 0, position: 0)
        try Resize(size: 96).augment(&exact, using: &rng)
        try Resize(size: 96).augment(&fast, using: &rng)
        let a = try #require(TestImages.pixels(exact)), b = try #require(TestImages.pixels(fast))
        #expect(a.width == 128 && a.height == 96 && b.width == 128 && b.height == 96)
        let difference = TestImages.meanAbsoluteDifference(a, b)
        print("Resize fast vs exact (800x600 → 128x96): mean abs diff \(difference)")
        #expect(difference < 3)
    }

    @Test("CenterCrop offsets use Python's round half to even and zero padding like torchvision")
    func centerCropRegions() {
        // (5 − 2) / 2 = 1.5 → 2; (7 − 2) / 2 = 2.5 → 2; (6 − 2) / 2 = 2.
        #expect(CenterCrop.region(width: 5, height: 7, size: PixelSize(width: 2, height: 2))
            == PixelRegion(x: 2, y: 2, width: 2, height: 2))
        #expect(CenterCrop.region(width: 6, height: 6, size: PixelSize(width: 2, height: 2))
            == PixelRegion(x: 2, y: 2, width: 2, height: 2))
        // Larger than the image: padded by (w − W) // 2 before, so the origin is negative.
        #expect(CenterCrop.region(width: 3, height: 10, size: PixelSize(width: 6, height: 4))
            == PixelRegion(x: -1, y: 3, width: 6, height: 4))
        let image = Image(width: 2, height: 1, channels: 1, pixels: [7, 9])
        let padded = CenterCrop.apply(image, size: PixelSize(width: 5, height: 2))
        // Pad left (5 − 2) // 2 = 1, right 2; top 0, bottom 1.
        #expect(padded.pixels == [0, 7, 9, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test("CenterCrop on an encoded image: exact pixels in the exact mode, close ones from a region decode in the fast mode",
          arguments: DecodeMode.allCases)
    func centerCropEncoded(mode: DecodeMode) throws {
        let jpeg = try JPEGEncoder.encode(TestImages.natural(width: 130, height: 90), quality: 90)
        let decoded = try ImageDecoder.decode(jpeg)
        var sample = TestImages.sample(.encoded(jpeg), mode: mode)
        var rng = SampleRNG(seed: 1, epoch: 0, position: 0)
        try CenterCrop(size: 64).augment(&sample, using: &rng)
        let reference = CenterCrop.apply(decoded, size: PixelSize(width: 64, height: 64))
        let cropped = try #require(TestImages.pixels(sample))
        if mode == .exact {
            #expect(cropped == reference)
        } else {
            // Plain chroma upsampling: the same geometry, colours within a few levels.
            #expect(cropped.width == 64 && cropped.height == 64)
            let total = zip(cropped.pixels, reference.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
            let mean = Double(total) / Double(reference.pixels.count)
            #expect(mean < 3, "mean difference \(mean)")
        }
    }

    @Test("resize timing (printed, not asserted)")
    func timing() {
        let image = TestImages.natural(width: 500, height: 375)
        for filter in [ResampleFilter.bilinear, .bicubic, .lanczos, .nearest] {
            let start = Date()
            let rounds = 5
            for _ in 0..<rounds { _ = image.resized(to: PixelSize(width: 224, height: 224), filter: filter) }
            let milliseconds = Date().timeIntervalSince(start) * 1000 / Double(rounds)
            print("resize 500x375 RGB → 224x224 \(filter): \(String(format: "%.2f", milliseconds)) ms (this build)")
        }
    }
}
